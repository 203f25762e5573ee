package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;

/** Event followers on the memory store. */
@QuarkusTest
class MemoryEventFollowersTest extends EventFollowersContract {
}
