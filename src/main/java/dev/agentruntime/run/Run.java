package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A prompt, its plan and what executing the plan did. Immutable: every change is a copy, so a run that was read
 * from the store can be handed around without locks.
 */
@RegisterForReflection
public record Run(UUID runId,
                  String prompt,
                  RunStatus status,
                  String planner,
                  String fallbackReason,
                  Plan plan,
                  List<StepRecord> executionLog,
                  JsonNode result,
                  String error,
                  Usage usage,
                  Instant createdAt,
                  Instant startedAt,
                  Instant completedAt,
                  String tenant) {

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
                outcome.plan(), log, null, null, outcome.usage(), now, null, null, tenant);
    }

    public Run started(Instant now) {
        return new Run(runId, prompt, RunStatus.RUNNING, planner, fallbackReason, plan, executionLog, result, error,
                usage, createdAt, startedAt == null ? now : startedAt, null, tenant);
    }

    public Run withStep(StepRecord record) {
        List<StepRecord> log = new ArrayList<>(executionLog);
        log.set(indexOf(record.stepNumber()), record);
        return new Run(runId, prompt, status, planner, fallbackReason, plan, log, result, error, usage, createdAt,
                startedAt, completedAt, tenant);
    }

    public StepRecord step(int stepNumber) {
        return executionLog.get(indexOf(stepNumber));
    }

    public Run completed(JsonNode finalResult, Instant now) {
        return new Run(runId, prompt, RunStatus.COMPLETED, planner, fallbackReason, plan, executionLog, finalResult,
                null, usage, createdAt, startedAt, now, tenant);
    }

    /** Ends the run as failed; steps that never ran are marked skipped. */
    public Run failed(String reason, Instant now) {
        return finish(RunStatus.FAILED, reason, now);
    }

    /** Ends the run as cancelled; steps that never ran are marked skipped. */
    public Run cancelled(String reason, Instant now) {
        return finish(RunStatus.CANCELLED, reason, now);
    }

    private Run finish(RunStatus terminal, String reason, Instant now) {
        List<StepRecord> log = executionLog.stream()
                .map(s -> s.status() == StepStatus.PENDING || s.status() == StepStatus.RUNNING ? s.skipped() : s)
                .toList();
        return new Run(runId, prompt, terminal, planner, fallbackReason, plan, log, null, reason, usage, createdAt,
                startedAt, now, tenant);
    }

    private int indexOf(int stepNumber) {
        int index = stepNumber - 1;
        if (index < 0 || index >= executionLog.size() || executionLog.get(index).stepNumber() != stepNumber) {
            throw new IllegalArgumentException("run " + runId + " has no step " + stepNumber);
        }
        return index;
    }
}
