package dev.agentruntime.security;

import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.nio.file.Path;
import java.util.Map;

@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(RedisTenantIsolationTest.ApiKeys.class)
class RedisTenantIsolationTest extends TenantIsolationContract {

    static final Path LOG = Path.of("target", "security-redis.log");

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
