package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.EventType;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.testing.StoreBackends;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: an event appended outside a journal write is one {@code XADD NOMKSTREAM} when the run's stream exists,
 * and the script (which sets the expiry) otherwise; either way no events stream is ever left without an expiry,
 * and every entry carries its fields in one order, so Redis stores them without their names.
 */
class RedisEventAppendTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final RunEventLog log = StoreBackends.Kind.REDIS.open().backend().events();
    private final ReactiveRedisDataSource redis = StoreBackends.sharedRedis();

    @Test
    void theFirstAppendCreatesTheStreamWithItsExpiryAndLaterOnesKeepIt() throws Exception {
        UUID run = UUID.randomUUID();
        String key = new RunKeys(new dev.agentruntime.redis.KeySpace("test:")).events(run);

        log.append(run, EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode().put("n", 1))
                .await().atMost(WAIT);
        long first = pttl(key);
        assertThat(first).isPositive();

        // Give the expiry a value no append would set, to see that the next append leaves it alone.
        command("PEXPIRE", key, "5000000");
        log.append(run, EventType.STEP_STARTED, JsonNodeFactory.instance.objectNode().put("n", 2))
                .await().atMost(WAIT);

        assertThat(pttl(key)).isGreaterThan(4_000_000);
        assertThat(fieldNames(key)).containsExactly(List.of("type", "data"), List.of("type", "data"));
        assertThat(log.replay(run, null).collect().asList().await().atMost(WAIT))
                .extracting(e -> e.data().path("n").asInt()).containsExactly(1, 2);
    }

    @Test
    void anAppendAfterTheStreamExpiredNeverLeavesOneWithoutAnExpiry() {
        UUID run = UUID.randomUUID();
        String key = new RunKeys(new dev.agentruntime.redis.KeySpace("test:")).events(run);
        log.append(run, EventType.RUN_STARTED, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);
        // As if its retention had run out while a late step still retried.
        command("DEL", key);

        log.append(run, EventType.STEP_RETRYING, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);

        assertThat(pttl(key)).isPositive();
    }

    private long pttl(String key) {
        return command("PTTL", key).toLong();
    }

    private List<List<String>> fieldNames(String key) {
        List<List<String>> names = new ArrayList<>();
        for (Response entry : command("XRANGE", key, "-", "+")) {
            Response fields = entry.get(1);
            List<String> these = new ArrayList<>();
            for (int i = 0; i < fields.size(); i += 2) {
                these.add(fields.get(i).toString());
            }
            names.add(these);
        }
        return names;
    }

    private Response command(String... words) {
        return redis.execute(words[0], java.util.Arrays.copyOfRange(words, 1, words.length))
                .await().atMost(WAIT);
    }
}
