package dev.agentruntime.execution;

import dev.agentruntime.testing.RedisCluster;
import dev.agentruntime.testing.RedisClusterTestResource;
import dev.agentruntime.testing.RedisProcess;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The crash-recovery contract on the local Redis Cluster (issue 31): claims and resumptions per partition. */
@QuarkusTest
@WithTestResource(RedisClusterTestResource.class)
@TestProfile(CrashRecoveryContract.FastClaims.class)
class RedisClusterCrashRecoveryTest extends CrashRecoveryContract {

    RedisCluster cluster;

    @Override
    RedisProcess nodeFor(String key) throws Exception {
        return cluster.primaryFor(key);
    }
}
