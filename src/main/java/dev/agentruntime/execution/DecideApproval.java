package dev.agentruntime.execution;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.Run;
import dev.agentruntime.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Approving or rejecting the step a run waits on, the same use case behind every face: the caller decides as its
 * actor ({@link Caller#actor()}); {@link RunApprovals} audits the decision, this a refusal.
 */
@ApplicationScoped
public class DecideApproval {

    /** What the caller decides; its name is the audit line's action. */
    public enum Verdict {
        APPROVE, REJECT;

        public String action() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final RunApprovals approvals;
    private final AuditLog audit;

    public DecideApproval(RunApprovals approvals, AuditLog audit) {
        this.approvals = approvals;
        this.audit = audit;
    }

    /**
     * Applies the {@code decision} the face read ({@code decision} fails for a request it could not read: refused
     * and audited like any other refusal).
     */
    public Uni<Run> decide(Caller caller, String runId, Verdict verdict, Uni<RunApprovals.Decision> decision) {
        return decision.flatMap(decided -> verdict == Verdict.APPROVE
                        ? approvals.approve(caller.tenant(), runId, decided, caller.actor())
                        : approvals.reject(caller.tenant(), runId, decided, caller.actor()))
                .onFailure().invoke(failure -> audit.refused(caller.tenant(), runId, verdict.action(), failure,
                        caller.client()));
    }
}
