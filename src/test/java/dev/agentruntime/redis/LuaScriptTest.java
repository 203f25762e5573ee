package dev.agentruntime.redis;

import dev.agentruntime.testing.StoreBackends;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts are files, called by SHA, and survive Redis forgetting them. */
class LuaScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void anIncludedFragmentIsTheSharedFileAndTheShaIsOfTheExpandedText() {
        LuaScript save = LuaScript.load("run_save");
        LuaScript fragment = LuaScript.load("save_run");

        assertThat(save.source()).contains(fragment.source()).doesNotContain("--#include");
        assertThat(save.sha1()).hasSize(40).isNotEqualTo(fragment.sha1());
        assertThatThrownBy(() -> LuaScript.load("no_such_script")).hasMessageContaining("redis/no_such_script.lua");
    }

    @Test
    void callsGoBySha_andAFlushedScriptCacheIsReloadedOnce() {
        StoreBackends.Fixture store = StoreBackends.Kind.REDIS.open();
        var redis = StoreBackends.sharedRedis();
        redis.execute("CONFIG", "RESETSTAT").await().atMost(WAIT);
        redis.execute("SCRIPT", "FLUSH").await().atMost(WAIT);

        for (int i = 0; i < 3; i++) {
            store.backend().runs().save(TestRuns.planned("acme", store.clock().instant())).await().atMost(WAIT);
        }

        String stats = redis.execute("INFO", "commandstats").await().atMost(WAIT).toString();
        assertThat(calls(stats, "evalsha")).as("every call by SHA, the first one refused").isEqualTo(4);
        assertThat(calls(stats, "script|load") + calls(stats, "script")).as("loaded once").isEqualTo(1);
        assertThat(calls(stats, "eval")).as("never the script text per call").isZero();
    }

    private static long calls(String commandStats, String command) {
        Matcher m = Pattern.compile("cmdstat_" + Pattern.quote(command) + ":calls=(\\d+)").matcher(commandStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
