package dev.agentruntime.execution;

import io.quarkus.test.junit.QuarkusTest;

/** The cancel race on the memory store. */
@QuarkusTest
class MemoryCancelRaceTest extends CancelRaceContract {
}
