package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;

/** A key still being created, on the memory store. */
@QuarkusTest
class MemoryStillBeingCreatedTest extends StillBeingCreatedContract {
}
