package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One planned tool call. {@code toolInput} may hold {@code {{steps.N.output}}} placeholders that the executor
 * resolves from earlier steps. {@code dependsOn} lists the steps this one waits for: absent (null) means "the
 * previous step", the safe reading of a plain ordered list; {@code []} means none. A placeholder adds its step.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"step_number", "tool_name", "tool_input"})
public record PlanStep(int stepNumber, String toolName, JsonNode toolInput, String reasoning, List<Integer> dependsOn) {

    public PlanStep {
        dependsOn = dependsOn == null ? null : List.copyOf(dependsOn);
    }
}
