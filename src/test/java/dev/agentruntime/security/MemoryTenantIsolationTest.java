package dev.agentruntime.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.nio.file.Path;
import java.util.Map;

@QuarkusTest
@TestProfile(MemoryTenantIsolationTest.ApiKeys.class)
class MemoryTenantIsolationTest extends TenantIsolationContract {

    static final Path LOG = Path.of("target", "security-memory.log");

    public static class ApiKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return apiKeyConfig(LOG.toString());
        }
    }

    @Override
    Path logFile() {
        return LOG;
    }
}
