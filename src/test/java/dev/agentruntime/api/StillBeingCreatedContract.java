package dev.agentruntime.api;

import dev.agentruntime.run.Run;
import dev.agentruntime.store.IdempotencyKeys;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/**
 * Issue 13, item 13: the 409 of a key whose run is still being created says when to come back. Reaches into the
 * store to hold a key claimed and not bound, so it runs in process only (not against the packaged app).
 */
abstract class StillBeingCreatedContract {

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Test
    void aKeyWhoseRunIsStillBeingCreatedIs409WithRetryAfter() throws Exception {
        String prompt = "calculate 12 * 12";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(prompt.getBytes(StandardCharsets.UTF_8)));
        String key = "held-" + UUID.randomUUID();
        // Claimed and not yet bound: what a concurrent request sees while the first one is still planning.
        idempotencyKeys.claim(Run.DEFAULT_TENANT + "/" + key, hash).await().atMost(Duration.ofSeconds(5));

        RunApiContract.expectProblem(given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("prompt", prompt)).post("/api/v1/runs"), 409, "still being created")
                .header("Retry-After", "1");
    }
}
