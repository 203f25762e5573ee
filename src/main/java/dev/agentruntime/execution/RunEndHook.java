package dev.agentruntime.execution;

import dev.agentruntime.observability.RunTelemetry;
import dev.agentruntime.observability.RunTelemetry.RunScope;
import dev.agentruntime.run.Run;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What happens once a run has ended and is saved, whoever ended it (its executor, a cancel, a decision, the expiry):
 * counted and logged, its local waiters woken, and, when it was asked to stop, the request forgotten. One place, so
 * that no way to end a run forgets one of them.
 */
@ApplicationScoped
public class RunEndHook {

    private final RunTelemetry telemetry;
    private final RunWaiters waiters;
    private final Cancellations cancellations;

    public RunEndHook(RunTelemetry telemetry, RunWaiters waiters, Cancellations cancellations) {
        this.telemetry = telemetry;
        this.waiters = waiters;
        this.cancellations = cancellations;
    }

    /**
     * {@code run} ended here and is saved. {@code scope} is its execution's (null when no executor of this instance
     * ended it); {@code cancelRequested}: a request to stop it may be set, and is cleared (a failure to clear is
     * ignored: the flag expires with the run). A run that ends without such a request costs no command here.
     */
    public Uni<Run> ended(RunScope scope, Run run, boolean cancelRequested) {
        telemetry.runEnded(scope, run);
        waiters.ended(run);
        return cancelRequested ? forgetCancellation(run) : Uni.createFrom().item(run);
    }

    /**
     * This instance stopped executing a run that another party ended: its end was counted there; a request to stop
     * it, when this execution saw one, is forgotten all the same.
     */
    public Uni<Run> endedElsewhere(RunScope scope, Uni<Run> asEnded, boolean cancelRequested) {
        telemetry.executionStopped(scope);
        return cancelRequested ? asEnded.call(this::forgetCancellation) : asEnded;
    }

    private Uni<Run> forgetCancellation(Run run) {
        return cancellations.clear(run.runId()).onFailure().recoverWithNull().replaceWith(run);
    }
}
