package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.InvalidRequestException;

/**
 * The body of {@code POST /api/v1/runs/{run_id}/fork}, read by hand like {@link CreateRunRequest}: "not JSON" is a
 * 400, a field of the wrong type a 422. No body at all is {@code {}}: retry from the failure.
 */
final class ForkRunRequest {

    static final String EXAMPLE = "{\"from_step\": 2, \"tool_input\": {...}, \"reason\": \"...\"}";

    private ForkRunRequest() {
    }

    static ForkRequest parse(String body, ObjectMapper mapper) {
        if (body == null || body.isBlank()) {
            return ForkRequest.FROM_FAILURE;
        }
        JsonNode json = JsonBodies.object(body, mapper, EXAMPLE, "from_step, tool_input and reason, each optional");
        JsonBodies.onlyFields(json, java.util.Set.of("from_step", "tool_input", "reason"),
                "from_step, tool_input and reason, each optional");
        JsonNode fromStep = json.get("from_step");
        if (fromStep != null && !fromStep.isNull() && !fromStep.canConvertToExactIntegral()) {
            throw InvalidRequestException.unprocessable("from_step: must be a whole number, not "
                    + (fromStep.isNumber() ? fromStep.toString() : CreateRunRequest.describe(fromStep)));
        }
        if (fromStep != null && fromStep.canConvertToExactIntegral() && !fromStep.canConvertToInt()) {
            throw InvalidRequestException.unprocessable("from_step: " + fromStep + " is not a step of any plan");
        }
        JsonNode reason = json.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            throw InvalidRequestException.unprocessable("reason: must be a string, not "
                    + CreateRunRequest.describe(reason));
        }
        // tool_input is checked by ForkRequest, whichever face built it.
        JsonNode input = json.get("tool_input");
        return new ForkRequest(fromStep == null || fromStep.isNull() ? null : fromStep.intValue(), input,
                reason == null || reason.isNull() ? null : reason.asText());
    }
}
