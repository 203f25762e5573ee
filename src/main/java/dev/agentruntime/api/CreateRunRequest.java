package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.InvalidRequestException;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /api/v1/runs}. Parsed by hand rather than bound, so that "not JSON" (400) and "JSON
 * that is not a valid request" (422) stay apart and a number is never quietly taken for a prompt.
 */
@Schema(additionalProperties = Schema.False.class)
public record CreateRunRequest(
        @Schema(description = "What to do, in words; 1 to 4,000 characters once trimmed", minLength = 1,
                maxLength = CreateRunRequest.MAX_PROMPT_LENGTH) String prompt) {

    public static final int MAX_PROMPT_LENGTH = 4_000;

    /**
     * Strict JSON: one value and nothing after it, no key twice (which of two prompts would count?). The detail says
     * where the body went wrong in the caller's terms, never in the parser's.
     */
    public static CreateRunRequest parse(String body, ObjectMapper mapper) {
        JsonNode json = JsonBodies.object(body, mapper, "{\"prompt\": \"...\"}", "a prompt");
        JsonBodies.onlyFields(json, java.util.Set.of("prompt"), "only prompt");
        JsonNode prompt = json.get("prompt");
        if (prompt != null && !prompt.isNull() && !prompt.isTextual()) {
            throw InvalidRequestException.unprocessable("prompt: must be a string, not " + describe(prompt));
        }
        return new CreateRunRequest(validPrompt(prompt == null || prompt.isNull() ? null : prompt.asText()));
    }

    /** The prompt, stripped, if it is one the runtime takes (however it arrived: HTTP body or MCP argument). */
    static String validPrompt(String prompt) {
        if (prompt == null) {
            throw InvalidRequestException.unprocessable("prompt: is required");
        }
        String text = prompt.strip();
        if (text.isEmpty()) {
            throw InvalidRequestException.unprocessable("prompt: must not be blank");
        }
        // Characters as a person counts them: an emoji is one, not two UTF-16 units.
        int length = text.codePointCount(0, text.length());
        if (length > MAX_PROMPT_LENGTH) {
            throw InvalidRequestException.unprocessable("prompt: is " + length
                    + " characters long; at most " + MAX_PROMPT_LENGTH + " are allowed");
        }
        return text;
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
