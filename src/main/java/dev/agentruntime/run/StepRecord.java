package dev.agentruntime.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What happened to one step: the entry of the execution log. {@code toolInput} is the resolved input. */
@RegisterForReflection
public record StepRecord(int stepNumber,
                         String toolName,
                         JsonNode toolInput,
                         StepStatus status,
                         boolean success,
                         JsonNode output,
                         @Schema(nullable = true) String error,
                         int attempts,
                         @Schema(nullable = true) Instant startedAt,
                         @Schema(nullable = true) Instant finishedAt,
                         @Schema(nullable = true) Double durationMs,
                         @Schema(description = "True on a fork's step that kept its source run's record instead of "
                                 + "running again (ADR 0033)") boolean reused) {

    public static StepRecord pending(PlanStep step) {
        return new StepRecord(step.stepNumber(), step.toolName(), step.toolInput(), StepStatus.PENDING, false,
                null, null, 0, null, null, null, false);
    }

    /** Started: on its first attempt (a retry says which it is on, see {@link #attempt}). */
    public StepRecord running(JsonNode resolvedInput, Instant now) {
        return new StepRecord(stepNumber, toolName, resolvedInput, StepStatus.RUNNING, false, null, null, 1, now,
                null, null, false);
    }

    public StepRecord completed(JsonNode output, int attempts, Instant now) {
        return new StepRecord(stepNumber, toolName, toolInput, StepStatus.COMPLETED, true, output, null, attempts,
                startedAt, now, millisBetween(startedAt, now), false);
    }

    public StepRecord failed(String error, int attempts, Instant now) {
        Instant start = startedAt == null ? now : startedAt;
        return new StepRecord(stepNumber, toolName, toolInput, StepStatus.FAILED, false, null, error, attempts,
                start, now, millisBetween(start, now), false);
    }

    /** Started and stopped before its tool returned: {@code why} says whether the tool was called. */
    public StepRecord interrupted(String why, int attempts, Instant now) {
        Instant start = startedAt == null ? now : startedAt;
        return new StepRecord(stepNumber, toolName, toolInput, StepStatus.INTERRUPTED, false, null, why, attempts,
                start, now, millisBetween(start, now), false);
    }

    /** The same record, running its {@code attempt}-th attempt (as a reader sees a step that is under way). */
    public StepRecord attempt(int attempt) {
        return new StepRecord(stepNumber, toolName, toolInput, status, success, output, error, attempt, startedAt,
                finishedAt, durationMs, reused);
    }

    /** The same completed record, kept by a fork instead of running the step again: output and timings unchanged. */
    public StepRecord asReused() {
        if (status != StepStatus.COMPLETED) {
            throw new IllegalStateException("step " + stepNumber + " is " + status.wireName() + ": only a completed "
                    + "step can be reused");
        }
        return new StepRecord(stepNumber, toolName, toolInput, status, success, output, error, attempts, startedAt,
                finishedAt, durationMs, true);
    }

    /** Skipped for a reason worth keeping (a person rejected it, say): {@code error} says why. */
    public StepRecord skipped(String why) {
        return new StepRecord(stepNumber, toolName, toolInput, StepStatus.SKIPPED, false, null, why, 0, null, null,
                null, false);
    }

    public StepRecord skipped() {
        return new StepRecord(stepNumber, toolName, toolInput, StepStatus.SKIPPED, false, null, null, 0, null, null,
                null, false);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDone() {
        return status == StepStatus.COMPLETED;
    }

    /** A step's duration: finished minus started, in fractional milliseconds (stored runs derive it the same way). */
    public static Double millisBetween(Instant start, Instant end) {
        return Duration.between(start, end).toNanos() / 1_000_000.0;
    }
}
