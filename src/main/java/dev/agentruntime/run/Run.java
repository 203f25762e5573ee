package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A prompt, its plan and what executing the plan did. Immutable: every change is a copy, so a run that was read
 * from the store can be handed around without locks.
 */
@RegisterForReflection
public record Run(UUID runId,
                  String prompt,
                  RunStatus status,
                  Planner planner,
                  @Schema(nullable = true) FallbackReason fallbackReason,
                  Plan plan,
                  List<StepRecord> executionLog,
                  JsonNode result,
                  @Schema(nullable = true) String error,
                  Usage usage,
                  Instant createdAt,
                  @Schema(nullable = true) Instant startedAt,
                  @Schema(nullable = true) Instant completedAt,
                  String tenant,
                  boolean planCached,
                  @Schema(nullable = true) String planCacheKey,
                  @Schema(nullable = true) Approval approval,
                  @Schema(nullable = true, description = "The run this one was forked from; null when it was not")
                  ForkedFrom forkedFrom) {

    /** The tenant of runs created while authentication is off, and of runs stored before tenants existed. */
    public static final String DEFAULT_TENANT = "default";

    public Run {
        executionLog = executionLog == null ? List.of() : List.copyOf(executionLog);
        usage = usage == null ? Usage.NONE : usage;
        tenant = tenant == null ? DEFAULT_TENANT : tenant;
    }

    /** A freshly planned run: every step pending, nothing executed yet. */
    public static Run planned(UUID runId, String tenant, String prompt, PlanningOutcome outcome, Instant now) {
        List<StepRecord> log = outcome.plan().steps().stream().map(StepRecord::pending).toList();
        return new Run(runId, prompt, RunStatus.PENDING, outcome.planner(), outcome.fallbackReason(),
                outcome.plan(), log, null, null, outcome.usage(), now, null, null, tenant, outcome.cached(),
                outcome.cacheKey(), null, null);
    }

    /**
     * A fork of {@code source}: its plan, planner and prompt, every step pending but those in {@code reused}, which
     * keep the source's record (output, timings) marked as reused, and step {@code from.stepNumber()} with
     * {@code input} when it is not null. Submitted like any run (ADR 0033).
     */
    public static Run forked(UUID runId, Run source, ForkedFrom from, java.util.Set<Integer> reused,
                             JsonNode input, Instant now) {
        List<StepRecord> log = new ArrayList<>(source.plan.steps().size());
        List<PlanStep> steps = new ArrayList<>(source.plan.steps().size());
        for (PlanStep step : source.plan.steps()) {
            PlanStep planned = step.stepNumber() == from.stepNumber() && input != null
                    ? new PlanStep(step.stepNumber(), step.toolName(), input, step.reasoning(), step.dependsOn())
                    : step;
            steps.add(planned);
            log.add(reused.contains(step.stepNumber()) ? source.step(step.stepNumber()).asReused()
                    : StepRecord.pending(planned));
        }
        return new Run(runId, source.prompt, RunStatus.PENDING, source.planner, source.fallbackReason,
                new Plan(steps), log, null, null, Usage.NONE, now, null, null, source.tenant, false, null, null, from);
    }

    /** An executor starts the pending run. */
    public Run started(Instant now) {
        return start(changes(RunTrigger.START), now);
    }

    /** An executor takes over the running run (its executor stopped, or it was approved and queued again). */
    public Run resumed(Instant now) {
        return start(changes(RunTrigger.RESUME), now);
    }

    private Run start(Changes next, Instant now) {
        next.startedAt = startedAt == null ? now : startedAt;
        next.completedAt = null;
        return next.build();
    }

    public Run withStep(StepRecord record) {
        Changes next = new Changes(this);
        next.executionLog.set(indexOf(record.stepNumber()), record);
        return next.build();
    }

    public StepRecord step(int stepNumber) {
        return executionLog.get(indexOf(stepNumber));
    }

    public Run completed(JsonNode finalResult, Instant now) {
        Changes next = changes(RunTrigger.COMPLETE);
        next.result = finalResult;
        next.error = null;
        next.completedAt = now;
        return next.build();
    }

    /** Ends the run as failed; steps that never ran are marked skipped, steps under way interrupted. */
    public Run failed(String reason, Instant now) {
        return finish(changes(RunTrigger.FAIL), reason, now);
    }

    /** Ends the run as failed because its executors kept stopping: {@link #failed}, for a pending run too. */
    public Run abandoned(String reason, Instant now) {
        return finish(changes(RunTrigger.ABANDON), reason, now);
    }

    /** Ends the run as cancelled; steps that never ran are marked skipped, steps under way interrupted. */
    public Run cancelled(String reason, Instant now) {
        return finish(changes(RunTrigger.CANCEL), reason, now);
    }

    /** Waits for a person to approve step {@code request.stepNumber()}, exactly as requested. */
    public Run awaitingApproval(Approval request) {
        Changes next = changes(RunTrigger.PAUSE_FOR_APPROVAL);
        next.approval = request;
        return next.build();
    }

    /** The pending request was approved: the run goes on, and the approved step runs with the approved input. */
    public Run approved(String by, Instant now, String comment) {
        Changes next = changes(RunTrigger.APPROVE);
        next.approval = approval.decided(ApprovalDecision.APPROVED, by, now, comment);
        return next.build();
    }

    /**
     * The pending request was rejected ({@code decision} REJECTED, by a person) or ran out of time (EXPIRED): the
     * step is skipped with the reason, and the run ends {@code rejected}.
     */
    public Run rejected(ApprovalDecision decision, String by, Instant now, String comment, String reason) {
        Changes next = changes(switch (decision) {
            case REJECTED -> RunTrigger.REJECT;
            case EXPIRED -> RunTrigger.EXPIRE;
            default -> throw new IllegalArgumentException(decision + " does not reject");
        });
        next.approval = approval.decided(decision, by, now, comment);
        int index = indexOf(approval.stepNumber());
        next.executionLog.set(index, next.executionLog.get(index).skipped(reason));
        return finish(next, reason, now);
    }

    private static Run finish(Changes next, String reason, Instant now) {
        // A step under way when the run ends (its executor's events said it started) may have had its effect: it is
        // never called skipped.
        next.executionLog.replaceAll(s -> switch (s.status()) {
            case PENDING -> s.skipped();
            case RUNNING -> s.interrupted("the step was under way when the run ended " + next.status.wireName()
                    + "; its tool may have been called and had its effect", s.attempts(), now);
            default -> s;
        });
        next.result = null;
        next.error = reason;
        next.completedAt = now;
        return next.build();
    }

    private int indexOf(int stepNumber) {
        int index = stepNumber - 1;
        if (index < 0 || index >= executionLog.size() || executionLog.get(index).stepNumber() != stepNumber) {
            throw new IllegalArgumentException("run " + runId + " has no step " + stepNumber);
        }
        return index;
    }

    /** The change {@code trigger} makes, refused unless the table lets a run in this status take it. */
    private Changes changes(RunTrigger trigger) {
        Changes next = new Changes(this);
        next.status = RunLifecycle.require(status, trigger).to();
        return next;
    }

    /** The fields a transition may change, starting from this run's values: one copy, one constructor call. */
    private static final class Changes {
        private final Run from;
        private RunStatus status;
        private final List<StepRecord> executionLog;
        private JsonNode result;
        private String error;
        private Instant startedAt;
        private Instant completedAt;
        private Approval approval;

        private Changes(Run from) {
            this.from = from;
            this.status = from.status;
            this.executionLog = new ArrayList<>(from.executionLog);
            this.result = from.result;
            this.error = from.error;
            this.startedAt = from.startedAt;
            this.completedAt = from.completedAt;
            this.approval = from.approval;
        }

        private Run build() {
            return new Run(from.runId, from.prompt, status, from.planner, from.fallbackReason, from.plan,
                    executionLog, result, error, from.usage, from.createdAt, startedAt, completedAt, from.tenant,
                    from.planCached, from.planCacheKey, approval, from.forkedFrom);
        }
    }
}
