package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A request for a person's approval of one step, exactly as it will run: the tool and its input with every
 * {@code {{steps.N…}}} reference already resolved, and {@code inputHash}, which a decision must quote so that what
 * was approved is what runs. Once decided it stays on the run as the record of who decided what, and when.
 */
@RegisterForReflection
public record Approval(int stepNumber, String toolName, JsonNode toolInput, String inputHash, Instant requestedAt,
                       Instant expiresAt, ApprovalDecision decision, @Schema(nullable = true) String decidedBy,
                       @Schema(nullable = true) Instant decidedAt, @Schema(nullable = true) String comment) {

    public static Approval requested(int stepNumber, String toolName, JsonNode toolInput, String inputHash,
                                     Instant now, Instant expiresAt) {
        return new Approval(stepNumber, toolName, toolInput, inputHash, now, expiresAt, ApprovalDecision.PENDING,
                null, null, null);
    }

    public boolean isPending() {
        return decision == ApprovalDecision.PENDING;
    }

    /** Approved for step {@code stepNumber}, and not yet used up by that step's run. */
    public boolean approves(int step) {
        return decision == ApprovalDecision.APPROVED && stepNumber == step;
    }

    public Approval decided(ApprovalDecision outcome, String by, Instant at, String why) {
        return new Approval(stepNumber, toolName, toolInput, inputHash, requestedAt, expiresAt, outcome, by, at, why);
    }
}
