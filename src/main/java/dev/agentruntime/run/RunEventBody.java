package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.UUID;

/**
 * What a run event says, typed: one record per {@link EventType}, whose JSON (the application's mapper, snake_case)
 * is exactly the payload clients read on SSE and MCP. Events are built from the run here, so an event's type comes
 * from what happened, and read back as these records, never by field name.
 */
public sealed interface RunEventBody {

    EventType type();

    UUID runId();

    /** The record class of {@code type}: exactly one per type. */
    static Class<? extends RunEventBody> classOf(EventType type) {
        return switch (type) {
            case RUN_FORKED -> RunForked.class;
            case RUN_STARTED -> RunStarted.class;
            case STEP_STARTED -> StepStarted.class;
            case STEP_RETRYING -> StepRetrying.class;
            case STEP_COMPLETED -> StepCompleted.class;
            case STEP_FAILED -> StepFailed.class;
            case STEP_INTERRUPTED -> StepInterrupted.class;
            case APPROVAL_REQUESTED -> ApprovalRequested.class;
            case APPROVAL_GRANTED -> ApprovalGranted.class;
            case APPROVAL_REJECTED -> ApprovalRejected.class;
            case RUN_COMPLETED -> RunCompleted.class;
            case RUN_FAILED -> RunFailed.class;
            case RUN_CANCELLED -> RunCancelled.class;
            case RUN_REJECTED -> RunRejected.class;
        };
    }

    static RunStarted started(Run run) {
        return new RunStarted(run.runId(), run.status(), run.plan().steps().size());
    }

    /** {@code run_forked}, a fork's first event: where it comes from and which steps it reuses (ADR 0033). */
    static RunForked forked(Run fork) {
        return new RunForked(fork.runId(), RunLifecycle.SUBMITTED, fork.forkedFrom(), fork.executionLog().stream()
                .filter(StepRecord::reused).map(StepRecord::stepNumber).toList(), fork.plan().steps().size());
    }

    /** The event of a step that has ended: completed, failed or interrupted, as {@code step} says. */
    static StepEvent stepEnded(Run run, StepRecord step) {
        return step(EventType.ofStep(step), run.runId(), step);
    }

    static StepEvent step(EventType type, UUID runId, StepRecord step) {
        return switch (type) {
            case STEP_STARTED -> new StepStarted(step, runId);
            case STEP_COMPLETED -> new StepCompleted(step, runId);
            case STEP_FAILED -> new StepFailed(step, runId);
            case STEP_INTERRUPTED -> new StepInterrupted(step, runId);
            default -> throw new IllegalArgumentException(type + " is not a step's event");
        };
    }

    static StepRetrying retrying(Run run, int stepNumber, int attempt) {
        return new StepRetrying(run.runId(), run.status(), stepNumber, attempt);
    }

    /**
     * A request for approval or its decision, as the run's approval says: pending is a request, approved a grant,
     * rejected or expired a rejection.
     */
    static ApprovalEvent approval(Run run) {
        EventType type = switch (run.approval().decision()) {
            case PENDING -> EventType.APPROVAL_REQUESTED;
            case APPROVED -> EventType.APPROVAL_GRANTED;
            case REJECTED, EXPIRED -> EventType.APPROVAL_REJECTED;
        };
        return approval(type, run.runId(), run.status(), run.approval());
    }

    static ApprovalEvent approval(EventType type, UUID runId, RunStatus status, Approval approval) {
        return switch (type) {
            case APPROVAL_REQUESTED -> new ApprovalRequested(runId, status, approval);
            case APPROVAL_GRANTED -> new ApprovalGranted(runId, status, approval);
            case APPROVAL_REJECTED -> new ApprovalRejected(runId, status, approval);
            default -> throw new IllegalArgumentException(type + " is not an approval's event");
        };
    }

    /** The event that ends {@code run}, which has ended. */
    static RunEnded ended(Run run) {
        return ended(EventType.endOf(run.status()), run.runId(), run.status(), run.result(), run.error(),
                run.completedAt());
    }

    static RunEnded ended(EventType type, UUID runId, RunStatus status, JsonNode result, String error,
                          Instant completedAt) {
        return switch (type) {
            case RUN_COMPLETED -> new RunCompleted(runId, status, result, error, completedAt);
            case RUN_FAILED -> new RunFailed(runId, status, result, error, completedAt);
            case RUN_CANCELLED -> new RunCancelled(runId, status, result, error, completedAt);
            case RUN_REJECTED -> new RunRejected(runId, status, result, error, completedAt);
            default -> throw new IllegalArgumentException(type + " does not end a run");
        };
    }

    /** {@code run_started}: the run and how many steps its plan has. */
    @RegisterForReflection
    record RunStarted(UUID runId, RunStatus status, Integer steps) implements RunEventBody {
        @Override
        public EventType type() {
            return EventType.RUN_STARTED;
        }
    }

    /**
     * {@code run_forked}: the fork (pending), the run and step it was forked from, the steps it keeps from that run
     * without running them (each then has its {@code step_completed} with {@code reused} true) and how many steps its
     * plan has.
     */
    @RegisterForReflection
    record RunForked(UUID runId, RunStatus status, ForkedFrom forkedFrom, java.util.List<Integer> reusedSteps,
                     Integer steps) implements RunEventBody {
        @Override
        public EventType type() {
            return EventType.RUN_FORKED;
        }
    }

    /** A step's event: the step as the run records it, then the run's id. */
    sealed interface StepEvent extends RunEventBody {
        StepRecord step();
    }

    @RegisterForReflection
    record StepStarted(@JsonUnwrapped StepRecord step, UUID runId) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_STARTED;
        }
    }

    @RegisterForReflection
    record StepCompleted(@JsonUnwrapped StepRecord step, UUID runId) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_COMPLETED;
        }
    }

    @RegisterForReflection
    record StepFailed(@JsonUnwrapped StepRecord step, UUID runId) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_FAILED;
        }
    }

    @RegisterForReflection
    record StepInterrupted(@JsonUnwrapped StepRecord step, UUID runId) implements StepEvent {
        @Override
        public EventType type() {
            return EventType.STEP_INTERRUPTED;
        }
    }

    /** {@code step_retrying}: which attempt a step is on now. */
    @RegisterForReflection
    record StepRetrying(UUID runId, RunStatus status, Integer stepNumber, Integer attempt) implements RunEventBody {
        @Override
        public EventType type() {
            return EventType.STEP_RETRYING;
        }
    }

    /** A request for approval or its decision: the run's status and its approval as the run holds it. */
    sealed interface ApprovalEvent extends RunEventBody {
        RunStatus status();

        Approval approval();
    }

    @RegisterForReflection
    record ApprovalRequested(UUID runId, RunStatus status, Approval approval) implements ApprovalEvent {
        @Override
        public EventType type() {
            return EventType.APPROVAL_REQUESTED;
        }
    }

    @RegisterForReflection
    record ApprovalGranted(UUID runId, RunStatus status, Approval approval) implements ApprovalEvent {
        @Override
        public EventType type() {
            return EventType.APPROVAL_GRANTED;
        }
    }

    @RegisterForReflection
    record ApprovalRejected(UUID runId, RunStatus status, Approval approval) implements ApprovalEvent {
        @Override
        public EventType type() {
            return EventType.APPROVAL_REJECTED;
        }
    }

    /** A run's last event: its status, result or error, and when it ended. */
    sealed interface RunEnded extends RunEventBody {
        RunStatus status();

        JsonNode result();

        String error();

        Instant completedAt();
    }

    @RegisterForReflection
    record RunCompleted(UUID runId, RunStatus status, JsonNode result, String error, Instant completedAt)
            implements RunEnded {
        @Override
        public EventType type() {
            return EventType.RUN_COMPLETED;
        }
    }

    @RegisterForReflection
    record RunFailed(UUID runId, RunStatus status, JsonNode result, String error, Instant completedAt)
            implements RunEnded {
        @Override
        public EventType type() {
            return EventType.RUN_FAILED;
        }
    }

    @RegisterForReflection
    record RunCancelled(UUID runId, RunStatus status, JsonNode result, String error, Instant completedAt)
            implements RunEnded {
        @Override
        public EventType type() {
            return EventType.RUN_CANCELLED;
        }
    }

    @RegisterForReflection
    record RunRejected(UUID runId, RunStatus status, JsonNode result, String error, Instant completedAt)
            implements RunEnded {
        @Override
        public EventType type() {
            return EventType.RUN_REJECTED;
        }
    }
}
