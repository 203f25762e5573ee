package dev.agentruntime.store.redis;

import dev.agentruntime.testing.RunKeyNames;
import dev.agentruntime.testing.RedisProcess;
import dev.agentruntime.testing.RedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.agentruntime.testing.ShortEventRetention;
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
 * stream while the events are kept (their retention, 1 h by default), and of the run alone after it, printed as a
 * table with what a GB holds (the figures behind the README's capacity table). The bounds are the figures measured
 * for the two-step run with a margin: a change that makes a run dearer to keep fails here.
 */
@QuarkusTest
@WithTestResource(RedisTestResource.class)
@TestProfile(ShortEventRetention.class)
class RedisFootprintTest {

    /**
     * The two-step run once its events are past their retention, measured 2026-11-26: 1,384 bytes (issue 19's
     * target was 2,500); about 10% above. Before issue 19 it was 6,680 bytes (1,896 the run, 4,784 its events, both
     * kept 24 h).
     */
    static final long TWO_STEP_AFTER_RETENTION = 1_550;
    /**
     * While its events are kept, measured 2026-11-26: 6,168 bytes (1,384 the run, 4,784 its events); about 10%
     * above. The stream costs the same as before compact payloads: Redis allocates each stream node 4 KB ahead.
     */
    static final long TWO_STEP_WITHIN_RETENTION = 6_800;

    /** Enough runs for the tenant's index to be a plain sorted set (more than 128 entries). */
    static final int INDEXED_RUNS = 200;

    RedisProcess redis;

    @Test
    void whatOneRunCostsToKeep() throws Exception {
        Map<String, String> shapes = new LinkedHashMap<>();
        shapes.put("one step", "calculate 6 * 7");
        shapes.put("two steps", "calculate 6 * 7 and add the result as a todo");
        shapes.put("ten steps", IntStream.rangeClosed(1, 10).mapToObj(i -> "calculate " + i + " + " + i)
                .collect(Collectors.joining(" then ")));
        shapes.put("failed", "calculate 1 / 0");
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, long[]> bytes = new LinkedHashMap<>();
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String id = given().contentType(ContentType.JSON).header("Prefer", "wait=10")
                    .body(Map.of("prompt", shape.getValue())).post("/api/v1/runs").then().statusCode(201)
                    .extract().path("run_id");
            ids.put(shape.getKey(), id);
            bytes.put(shape.getKey(), new long[]{usage(RunKeyNames.run(id)), usage(RunKeyNames.events(id)), 0});
        }
        Thread.sleep(ShortEventRetention.RETENTION.plusMillis(500).toMillis());
        for (Map.Entry<String, String> run : ids.entrySet()) {
            assertThat(redis.command("EXISTS", RunKeyNames.events(run.getValue()))).as(run.getKey())
                    .isEqualTo(":0");
            bytes.get(run.getKey())[2] = usage(RunKeyNames.run(run.getValue()));
        }

        // Each run also has an entry in its tenant's time index (a sorted set): measured over many runs, since a
        // small sorted set is packed and a large one is not.
        long indexBefore = indexUsage();
        for (int i = 0; i < INDEXED_RUNS; i++) {
            given().contentType(ContentType.JSON).body(Map.of("prompt", "calculate " + i + " + 1"))
                    .post("/api/v1/runs").then().statusCode(201);
        }
        double indexPerRun = (indexUsage() - indexBefore) / (double) INDEXED_RUNS;

        // At the default TTLs (run 24 h, events 1 h after the end) a day's runs hold their run and index entry for
        // the whole day and their events for one hour of it: on average run + index + events / 24 per run.
        StringBuilder table = new StringBuilder("\nRedis bytes to keep one ended run (MEMORY USAGE)\n")
                .append(String.format("%-10s %8s %8s %10s %10s %14s%n", "shape", "run", "events", "1st hour",
                        "after", "runs/GB/day"));
        bytes.forEach((shape, b) -> table.append(String.format("%-10s %8d %8d %10d %10d %,14d%n", shape, b[0], b[1],
                b[0] + b[1], b[2], (long) (1e9 / (b[2] + indexPerRun + b[1] / 24.0)))));
        table.append(String.format("index entry per run: %.0f bytes%n", indexPerRun));
        System.out.println(table);

        long[] twoSteps = bytes.get("two steps");
        assertThat(twoSteps[1]).isPositive();
        assertThat(twoSteps[0] + twoSteps[1]).as(table.toString()).isLessThanOrEqualTo(TWO_STEP_WITHIN_RETENTION);
        assertThat(twoSteps[2]).as(table.toString()).isLessThanOrEqualTo(TWO_STEP_AFTER_RETENTION);
        assertThat(bytes.get("ten steps")[1]).isGreaterThan(twoSteps[1]);
    }

    /** The tenant's index is one sorted set per queue partition (ADR 0032): their sum, absent ones as 0. */
    private long indexUsage() throws Exception {
        long total = 0;
        for (int partition = 0; partition < RunKeys.PARTITIONS; partition++) {
            String key = "agent:runs:by-time:" + RunKeys.tag(partition) + ":default";
            if (redis.command("EXISTS", key).equals(":1")) {
                total += usage(key);
            }
        }
        return total;
    }

    private long usage(String key) throws Exception {
        String reply = redis.command("MEMORY", "USAGE", key);
        assertThat(reply).as("MEMORY USAGE %s", key).startsWith(":");
        return Long.parseLong(reply.substring(1));
    }
}
