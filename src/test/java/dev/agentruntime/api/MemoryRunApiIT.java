package dev.agentruntime.api;

import dev.agentruntime.testing.Management;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The API contract against the packaged application (the jar here; the native binary with -Dnative). */
@QuarkusIntegrationTest
class MemoryRunApiIT extends RunApiContract {

    @Override
    RequestSpecification management() {
        return Management.givenPackaged();
    }

    @Override
    String storeType() {
        return "memory";
    }
}
