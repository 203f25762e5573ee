package dev.agentruntime.execution;

import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The crash-recovery contract on one Redis. */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(CrashRecoveryContract.FastClaims.class)
class CrashRecoveryTest extends CrashRecoveryContract {

    RedisProcess redis;

    @Override
    RedisProcess nodeFor(String key) {
        return redis;
    }
}
