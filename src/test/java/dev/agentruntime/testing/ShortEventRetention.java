package dev.agentruntime.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.time.Duration;
import java.util.Map;

/** The events of an ended run are kept two seconds, not an hour: tests see them give way to the compact history. */
public class ShortEventRetention implements QuarkusTestProfile {

    public static final Duration RETENTION = Duration.ofSeconds(2);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("agent.store.events-retention", RETENTION.toMillis() + "ms");
    }
}
