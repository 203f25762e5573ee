package dev.agentruntime.execution;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.Run;
import dev.agentruntime.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Cancelling a run, the same use case behind every face: {@link RunService#cancel}, audited whatever the outcome. */
@ApplicationScoped
public class CancelRun {

    private static final String ACTION = "cancel";

    private final RunService runs;
    private final AuditLog audit;

    public CancelRun(RunService runs, AuditLog audit) {
        this.runs = runs;
        this.audit = audit;
    }

    public Uni<Run> cancel(Caller caller, String runId) {
        return runs.cancel(caller.tenant(), runId)
                .onFailure().invoke(failure -> audit.refused(caller.tenant(), runId, ACTION, failure,
                        caller.client()))
                .invoke(run -> audit.cancelled(caller.tenant(), run.runId().toString(), caller.client()));
    }
}
