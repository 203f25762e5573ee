package dev.agentruntime.store;

import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The events of an ended run rebuilt from the run itself, once a store has dropped the stored ones (their retention
 * is shorter than the run's): a fork's {@code run_forked} and its reused steps, the run's start, each step that ran
 * (started, then completed, failed or interrupted), the last request for approval and its decision, and the end, in
 * the order of the times the run recorded. It is compact: retries and earlier requests for approval are not in it;
 * every other payload is the one the live event carried.
 */
public final class CompactHistory {

    /**
     * How a store names the event at {@code position} (0, 1, …) of a history, which happened at {@code at}, the
     * {@code sameMilli}-th (0, 1, …) event of the history in that millisecond.
     */
    @FunctionalInterface
    public interface Ids {
        String id(Instant at, int position, int sameMilli);
    }

    private record Entry(Instant at, RunEventBody body) {
    }

    private final EventPayloads payloads;

    public CompactHistory(EventPayloads payloads) {
        this.payloads = payloads;
    }

    /** The history of {@code run}, which has ended; each event named by {@code ids}, in increasing order. */
    public List<RunEvent> of(Run run, Ids ids) {
        if (!run.status().isTerminal()) {
            throw new IllegalArgumentException("run " + run.runId() + " has not ended");
        }
        List<Entry> entries = new ArrayList<>();
        if (run.forkedFrom() != null) {
            // A fork's first events, as its submission wrote them: its reused steps completed, never started.
            entries.add(new Entry(run.createdAt(), RunEventBody.forked(run)));
            run.executionLog().stream().filter(StepRecord::reused)
                    .forEach(step -> entries.add(new Entry(run.createdAt(), RunEventBody.stepEnded(run, step))));
        }
        if (run.startedAt() != null) {
            entries.add(new Entry(run.startedAt(), new RunEventBody.RunStarted(run.runId(), RunStatus.RUNNING,
                    run.plan().steps().size())));
        }
        for (StepRecord step : run.executionLog()) {
            if (step.reused()) {
                continue;
            }
            boolean ran = step.status() == StepStatus.COMPLETED || step.status() == StepStatus.INTERRUPTED
                    || step.status() == StepStatus.FAILED && step.attempts() > 0;
            if (ran && step.startedAt() != null) {
                entries.add(new Entry(step.startedAt(), RunEventBody.step(EventType.STEP_STARTED, run.runId(),
                        step.running(step.toolInput(), step.startedAt()))));
            }
            boolean ended = step.status() == StepStatus.COMPLETED || step.status() == StepStatus.FAILED
                    || step.status() == StepStatus.INTERRUPTED;
            if (ended && step.finishedAt() != null) {
                entries.add(new Entry(step.finishedAt(), RunEventBody.stepEnded(run, step)));
            }
        }
        Approval approval = run.approval();
        if (approval != null) {
            Approval asked = Approval.requested(approval.stepNumber(), approval.toolName(), approval.toolInput(),
                    approval.inputHash(), approval.requestedAt(), approval.expiresAt());
            entries.add(new Entry(approval.requestedAt(), RunEventBody.approval(EventType.APPROVAL_REQUESTED,
                    run.runId(), RunStatus.AWAITING_APPROVAL, asked)));
            if (approval.decision() == ApprovalDecision.APPROVED) {
                entries.add(new Entry(approval.decidedAt(), RunEventBody.approval(EventType.APPROVAL_GRANTED,
                        run.runId(), RunStatus.RUNNING, approval)));
            } else if (!approval.isPending()) {
                entries.add(new Entry(approval.decidedAt(), RunEventBody.approval(EventType.APPROVAL_REJECTED,
                        run.runId(), RunStatus.REJECTED, approval)));
            }
        }
        entries.sort(Comparator.comparing(Entry::at));
        Instant end = run.completedAt() == null ? Instant.EPOCH : run.completedAt();
        entries.add(new Entry(end, RunEventBody.ended(run)));

        List<RunEvent> history = new ArrayList<>(entries.size());
        Instant previous = Instant.EPOCH;
        int sameMilli = 0;
        for (Entry entry : entries) {
            // Never earlier than the event before: ids must grow even when the recorded times do not.
            Instant at = entry.at().isAfter(previous) ? entry.at() : previous;
            sameMilli = at.toEpochMilli() == previous.toEpochMilli() ? sameMilli + 1 : 0;
            previous = at;
            history.add(new RunEvent(ids.id(at, history.size(), sameMilli), entry.body().type(),
                    payloads.json(entry.body())));
        }
        return history;
    }
}
