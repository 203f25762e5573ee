package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusTest;

/** The API contract on the embedded (memory) store, the default. */
@QuarkusTest
class MemoryRunApiTest extends RunApiContract {

    @Override
    String storeType() {
        return "memory";
    }
}
