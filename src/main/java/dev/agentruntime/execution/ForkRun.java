package dev.agentruntime.execution;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.observability.RunTelemetry;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.Run;
import dev.agentruntime.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.function.Function;

/**
 * Forking an ended run from a step, the same use case behind every face (HTTP API, MCP server, the command line
 * through the API): a new run that keeps the source's outputs of the steps before that step and runs the rest anew
 * (ADR 0033), admitted like any run, or the fork its idempotency key already created; one audit line
 * whatever the outcome. Shaped like {@link CreateRun}: a face only reads its request and writes its answer.
 */
@ApplicationScoped
public class ForkRun {

    private static final String ACTION = "fork";

    /** What the face read from its request: the fork asked for and the idempotency key. */
    public record Request(ForkRequest fork, Optional<String> idempotencyKey) {
    }

    private final RunService runs;
    private final RunTelemetry telemetry;
    private final AuditLog audit;

    public ForkRun(RunService runs, RunTelemetry telemetry, AuditLog audit) {
        this.runs = runs;
        this.telemetry = telemetry;
        this.audit = audit;
    }

    /**
     * Forks the caller's run {@code runId} as {@code request} asks and gives the face's {@code answer} to the
     * submission ({@code replayed} when an idempotency key returned the fork it created before). A request the face
     * could not read fails {@code request}: it is refused and audited like any other refusal.
     */
    public <T> Uni<T> fork(Caller caller, String runId, Uni<Request> request,
                           Function<RunService.Submission, Uni<T>> answer) {
        return request.flatMap(asked -> runs.fork(caller.tenant(), runId, asked.fork(), asked.idempotencyKey()))
                .invoke(submission -> {
                    Run fork = submission.run();
                    audit.forked(caller.tenant(), fork.runId().toString(), runId, submission.replayed(),
                            caller.client());
                    if (!submission.replayed()) {
                        telemetry.runForked(fork);
                    }
                })
                .flatMap(answer::apply)
                .onFailure().invoke(failure -> audit.refused(caller.tenant(), runId, ACTION, failure,
                        caller.client()));
    }
}
