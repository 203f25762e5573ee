package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a fork of a run asks for, however it arrived (HTTP body, MCP arguments, the command line): the step to re-run
 * from (null: the first step that failed, was skipped or was cancelled), the input that step takes instead of its
 * planned one (null: the planned one), and why. Every field may be left out: {@code {}} retries from the failure.
 */
@RegisterForReflection
@Schema(name = "ForkRequest", additionalProperties = Schema.False.class, description = "Every field is optional: {} "
        + "retries from the first failed, skipped or interrupted step")
public record ForkRequest(
        @Schema(nullable = true, minimum = "1", description = "The step to run anew, with every step after it; the "
                + "steps before it that completed keep the source run's outputs")
        Integer fromStep,
        // A Map for the document: an object or null (JsonNode's AnyJson with null is an anyOf the generated client
        // cannot take).
        @Schema(implementation = java.util.Map.class, nullable = true, description = "The input step from_step "
                + "takes instead of its planned one; checked against the tool's schema, and its {{steps.K.output}} "
                + "references read the reused outputs")
        JsonNode toolInput,
        @Schema(nullable = true, maxLength = ForkRequest.MAX_REASON_LENGTH, description = "Why: kept in the fork's "
                + "forked_from") String reason) {

    /** A reason is a note, not a document. */
    public static final int MAX_REASON_LENGTH = 1_000;

    /** The request of an empty body: retry from the failure. */
    public static final ForkRequest FROM_FAILURE = new ForkRequest(null, null, null);

    /** Refuses what no run could take (422), before any run is read; the rest is checked against the run. */
    public ForkRequest {
        if (fromStep != null && fromStep < 1) {
            throw InvalidRequestException.unprocessable("from_step: must be 1 or more, not " + fromStep);
        }
        if (toolInput != null && toolInput.isNull()) {
            toolInput = null;
        }
        if (toolInput != null && !toolInput.isObject()) {
            throw InvalidRequestException.unprocessable("tool_input: must be a JSON object");
        }
        if (reason != null) {
            reason = reason.strip();
            if (reason.isEmpty()) {
                reason = null;
            } else if (reason.codePointCount(0, reason.length()) > MAX_REASON_LENGTH) {
                throw InvalidRequestException.unprocessable("reason: is longer than " + MAX_REASON_LENGTH
                        + " characters");
            }
        }
    }
}
