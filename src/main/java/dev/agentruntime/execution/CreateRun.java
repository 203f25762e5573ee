package dev.agentruntime.execution;

import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creating a run, the same use case behind every face (HTTP API, MCP server): the run planned and queued, or the
 * one its idempotency key already created, and one audit line whatever the outcome. A face only reads its request
 * and writes its answer.
 */
@ApplicationScoped
public class CreateRun {

    private static final String ACTION = "create";

    /** What the face read from its request: the prompt, how long to wait for the run's end, the idempotency key. */
    public record Request(String prompt, Duration waitFor, Optional<String> idempotencyKey) {
    }

    private final RunService runs;
    private final AuditLog audit;

    public CreateRun(RunService runs, AuditLog audit) {
        this.runs = runs;
        this.audit = audit;
    }

    /**
     * Creates the run {@code request} asks for and gives the face's {@code answer} to the submission. A request the
     * face could not read fails {@code request}: it is refused and audited like any other refusal, and so is a
     * failed answer (MCP follows the run before it answers).
     */
    public <T> Uni<T> create(Caller caller, Uni<Request> request, Function<RunService.Submission, Uni<T>> answer) {
        return request.flatMap(asked -> runs.create(caller.tenant(), asked.prompt(), asked.waitFor(),
                        asked.idempotencyKey()))
                .invoke(submission -> {
                    String runId = submission.run().runId().toString();
                    if (submission.replayed()) {
                        audit.replayed(caller.tenant(), runId, caller.client());
                    } else {
                        audit.created(caller.tenant(), runId, caller.client());
                    }
                })
                .flatMap(answer::apply)
                .onFailure().invoke(failure -> audit.refused(caller.tenant(), null, ACTION, failure, caller.client()));
    }
}
