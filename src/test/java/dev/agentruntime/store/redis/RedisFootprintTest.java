package dev.agentruntime.store.redis;

import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one ended run costs to keep in Redis, by shape: {@code MEMORY USAGE} of the run's key and of its event
 * stream, printed as a table (the figures behind the README's capacity notes). The bound on the two-step run is the
 * figure measured on 2026-11-26 with a margin: a change that makes a run dearer to keep fails here.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
class RedisFootprintTest {

    /** Measured 2026-11-26 for the two-step run: 6,680 bytes (1,896 the run, 4,784 its events); about 10% above. */
    static final long TWO_STEP_BOUND = 7_400;

    RedisProcess redis;

    @Test
    void whatOneRunCostsToKeep() throws Exception {
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("one step", "calculate 6 * 7");
        shapes.put("two steps", "calculate 6 * 7 and add the result as a todo");
        shapes.put("ten steps", IntStream.rangeClosed(1, 10).mapToObj(i -> "calculate " + i + " + " + i)
                .collect(Collectors.joining(" then ")));
        shapes.put("failed", "calculate 1 / 0");
        Map<String, long[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                    .body(Map.of("prompt", shape.getValue())).post("/api/v1/runs").then().statusCode(201)
                    .extract().path("run_id");
            bytes.put(shape.getKey(), new long[]{usage("agent:run:" + id), usage("agent:run:" + id + ":events")});
        }
        StringBuilder table = new StringBuilder("\nRedis bytes to keep one ended run (MEMORY USAGE)\n")
                .append(String.format("%-10s %8s %8s %8s%n", "shape", "run", "events", "total"));
        bytes.forEach((shape, b) -> table.append(String.format("%-10s %8d %8d %8d%n", shape, b[0], b[1],
                b[0] + b[1])));
        System.out.println(table);

        long[] twoSteps = bytes.get("two steps");
        assertThat(twoSteps[0]).isPositive();
        assertThat(twoSteps[1]).isPositive();
        assertThat(twoSteps[0] + twoSteps[1]).as(table.toString()).isLessThanOrEqualTo(TWO_STEP_BOUND);
        assertThat(bytes.get("ten steps")[1]).isGreaterThan(twoSteps[1]);
    }

    private long usage(String key) throws Exception {
        String reply = redis.command("MEMORY", "USAGE", key);
        assertThat(reply).as("MEMORY USAGE %s", key).startsWith(":");
        return Long.parseLong(reply.substring(1));
    }
}
