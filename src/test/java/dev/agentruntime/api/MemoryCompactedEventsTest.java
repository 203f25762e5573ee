package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.agentruntime.testing.ShortEventRetention;

/** The compact history on the embedded store, whose retention runs on the application's clock. */
@QuarkusTest
@TestProfile(ShortEventRetention.class)
class MemoryCompactedEventsTest extends CompactedEventsContract {
}
