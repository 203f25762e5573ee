package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunApprovals;
import dev.agentruntime.run.InvalidRequestException;

import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/runs/{id}/approve} and {@code /reject}: the {@code input_hash} of the request the
 * person saw (the run's {@code approval.input_hash}), and an optional {@code comment}.
 */
@Schema(additionalProperties = Schema.False.class)
public record DecisionRequest(
        @Schema(description = "The run's approval.input_hash: the request this decision is about",
                pattern = "^[0-9a-f]{64}$") String inputHash,
        @Schema(nullable = true, description = "Why; kept on the run and in the audit log",
                maxLength = DecisionRequest.MAX_COMMENT_LENGTH) String comment) {

    public static final int MAX_COMMENT_LENGTH = 1_000;
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    static DecisionRequest parse(String body, ObjectMapper mapper) {
        JsonNode json = JsonBodies.object(body, mapper, "{\"input_hash\": \"...\", \"comment\": \"...\"}",
                "an input_hash");
        JsonNode hash = json.get("input_hash");
        // A hash that is not a string is refused like a malformed one.
        String inputHash = inputHash(hash == null || hash.isNull() ? null : hash.isTextual() ? hash.asText() : "");
        JsonNode comment = json.get("comment");
        String text = null;
        if (comment != null && !comment.isNull()) {
            if (!comment.isTextual()) {
                throw InvalidRequestException.unprocessable("comment: must be a string, not "
                        + CreateRunRequest.describe(comment));
            }
            text = comment(comment.asText());
        }
        JsonBodies.onlyFields(json, java.util.Set.of("input_hash", "comment"), "input_hash and, optionally, comment");
        return new DecisionRequest(inputHash, text);
    }

    /** A decision given as arguments (an MCP tool's), checked as the body's fields are. */
    static DecisionRequest of(String inputHash, String comment) {
        return new DecisionRequest(inputHash(inputHash), comment == null ? null : comment(comment));
    }

    /** What the runtime decides with. */
    RunApprovals.Decision decision() {
        return new RunApprovals.Decision(inputHash, comment);
    }

    private static String inputHash(String hash) {
        if (hash == null) {
            throw InvalidRequestException.unprocessable("input_hash: is required: quote the run's "
                    + "approval.input_hash, the request you decide about");
        }
        if (!HASH.matcher(hash).matches()) {
            throw InvalidRequestException.unprocessable("input_hash: must be the 64 hex characters of the run's "
                    + "approval.input_hash");
        }
        return hash;
    }

    /** Stripped; null when empty. */
    private static String comment(String comment) {
        String text = comment.strip();
        int length = text.codePointCount(0, text.length());
        if (length > MAX_COMMENT_LENGTH) {
            throw InvalidRequestException.unprocessable("comment: is " + length + " characters long; at most "
                    + MAX_COMMENT_LENGTH + " are allowed");
        }
        return text.isEmpty() ? null : text;
    }
}
