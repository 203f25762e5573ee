package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;

/** Issue 30's fork contract on the embedded (memory) store. */
@QuarkusTest
class MemoryForkTest extends ForkContract {
}
