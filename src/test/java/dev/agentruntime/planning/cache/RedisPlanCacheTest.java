package dev.agentruntime.planning.cache;

import dev.agentruntime.testing.OpenAiMock;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The plan cache in Redis, shared by every instance: one key per plan, expiring with the TTL. */
@QuarkusTest
@WithTestResource(OpenAiMock.class)
@WithTestResource(RedisTestResource.class)
@TestProfile(PlanCacheContract.Cached.class)
class RedisPlanCacheTest extends PlanCacheContract {

    RedisProcess redis;

    @Test
    void aPlanIsOneKeyThatExpiresWithTheTtl() throws Exception {
        mock.stubFor(dev.agentruntime.testing.OpenAiMock.chatCompletions().willReturn(
                dev.agentruntime.testing.OpenAiMock.answer("""
                        {"steps": [{"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "9 - 1"},
                                    "reasoning": "subtract"}]}""", 10, 10)));
        given().contentType(io.restassured.http.ContentType.JSON).header("Authorization", "Bearer " + ACME)
                .header("Prefer", "wait=10").body(Map.of("prompt", "nine minus one " + System.nanoTime()))
                .post("/api/v1/runs").then().statusCode(201);
        // The command helper reads one reply line: let Redis find the key and answer its TTL as an integer.
        String reply = redis.command("EVAL", "local k = redis.call('KEYS', ARGV[1])[1] "
                + "if not k then return -3 end return redis.call('PTTL', k)", "0", "agent:plan:*");
        long ttl = Long.parseLong(reply.substring(1));
        assertThat(ttl).isPositive().isLessThanOrEqualTo(TTL_MS);
    }
}
