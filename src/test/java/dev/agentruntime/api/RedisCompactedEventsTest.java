package dev.agentruntime.api;

import dev.agentruntime.testing.RunKeyNames;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.agentruntime.testing.ShortEventRetention;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact history on Redis: the run's event stream has expired, the run has not. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(ShortEventRetention.class)
class RedisCompactedEventsTest extends CompactedEventsContract {

    RedisProcess redis;

    @Override
    void eventsDropped(String runId) throws Exception {
        super.eventsDropped(runId);
        assertThat(redis.command("EXISTS", RunKeyNames.events(runId.toString()))).isEqualTo(":0");
        assertThat(redis.command("EXISTS", RunKeyNames.run(runId.toString()))).isEqualTo(":1");
    }
}
