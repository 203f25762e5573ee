package dev.agentruntime.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The API contract against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class MemoryRunApiIT extends RunApiContract {

    @Override
    String storeType() {
        return "memory";
    }
}
