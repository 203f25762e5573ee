package dev.agentruntime.execution;

import dev.agentruntime.observability.AgentMetrics;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.ConflictException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunTrigger;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunQueue;
import dev.agentruntime.store.RunStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Decisions about a run awaiting approval. Each is one compare-and-set from {@code awaiting_approval} in the store,
 * so of an approval, a rejection, a cancel and the expiry exactly one wins, on any instance, and a second decision
 * is a 409. An approval binds to the request: it must quote the pending {@code input_hash}. Approving queues the run
 * again in the same step (it is never "running" without an executor to come); rejecting ends it {@code rejected}.
 */
@ApplicationScoped
public class RunApprovals {

    /** What a person sends: the hash of the request they saw, and why (optional). */
    public record Decision(String inputHash, String comment) {
    }

    private final RunService runs;
    private final RunStore store;
    private final RunJournal journal;
    private final RunQueue queue;
    private final RunEvents events;
    private final RunEndHook ends;
    private final AgentMetrics metrics;
    private final AuditLog audit;
    private final Clock clock;

    public RunApprovals(RunService runs, RunStore store, RunJournal journal, RunQueue queue, RunEvents events,
                        RunEndHook ends, AgentMetrics metrics, AuditLog audit, Clock clock) {
        this.runs = runs;
        this.store = store;
        this.journal = journal;
        this.queue = queue;
        this.events = events;
        this.ends = ends;
        this.metrics = metrics;
        this.audit = audit;
        this.clock = clock;
    }

    /** The step runs with exactly the approved input; the run goes on (a later step may ask again). */
    public Uni<Run> approve(String tenant, String runId, Decision decision, String decidedBy) {
        return pending(tenant, runId, decision).flatMap(run -> {
            Run approved = run.approved(decidedBy, clock.instant(), decision.comment());
            return queue.resume(RunLifecycle.require(run.status(), RunTrigger.APPROVE), approved,
                            List.of(events.approval(approved)))
                    .flatMap(moved -> decided(moved, tenant, run, approved, decidedBy));
        });
    }

    /** The step is skipped with the comment and the run ends {@code rejected}. */
    public Uni<Run> reject(String tenant, String runId, Decision decision, String decidedBy) {
        return pending(tenant, runId, decision).flatMap(run -> {
            String reason = "rejected by " + decidedBy + (decision.comment() == null || decision.comment().isBlank()
                    ? "" : ": " + decision.comment());
            Run rejected = run.rejected(ApprovalDecision.REJECTED, decidedBy, clock.instant(), decision.comment(),
                    reason);
            return end(run, RunTrigger.REJECT, rejected)
                    .flatMap(moved -> decided(moved, tenant, run, rejected, decidedBy));
        });
    }

    /**
     * Ends the run {@code rejected} ({@code approval_expired}) if its request is still unanswered past its deadline;
     * false when it is not (decided, cancelled, or not due). Any instance may call it for any run: one wins.
     */
    public Uni<Boolean> expire(UUID runId) {
        Instant now = clock.instant();
        return store.find(runId).flatMap(found -> {
            if (found.isEmpty() || RunLifecycle.find(found.get().status(), RunTrigger.EXPIRE).isEmpty()
                    || found.get().approval() == null || found.get().approval().expiresAt().isAfter(now)) {
                return Uni.createFrom().item(false);
            }
            Run run = found.get();
            Duration waited = Duration.between(run.approval().requestedAt(), run.approval().expiresAt());
            Run expired = run.rejected(ApprovalDecision.EXPIRED, null, now, null, "approval_expired: no decision "
                    + "on step " + run.approval().stepNumber() + " within " + waited);
            return end(run, RunTrigger.EXPIRE, expired).invoke(moved -> {
                if (moved) {
                    audit.approvalDecided(run.tenant(), null, run.runId().toString(), run.approval().stepNumber(),
                            run.approval().inputHash(), ApprovalDecision.EXPIRED.wireName());
                    metrics.approvalDecided(ApprovalDecision.EXPIRED.wireName(), waited);
                }
            });
        });
    }

    private Uni<Boolean> end(Run before, RunTrigger trigger, Run ended) {
        return journal.apply(RunLifecycle.require(before.status(), trigger), ended, List.of(
                        events.approval(ended),
                        events.ended(ended)))
                .call(moved -> moved ? ends.ended(null, ended, false) : Uni.createFrom().voidItem());
    }

    /** The caller's run, awaiting a decision on exactly the request whose hash they quote; a 409 otherwise. */
    private Uni<Run> pending(String tenant, String runId, Decision decision) {
        return runs.get(tenant, runId).map(run -> {
            Approval approval = run.approval();
            if (run.status() != RunStatus.AWAITING_APPROVAL || approval == null || !approval.isPending()) {
                throw new ConflictException("run " + run.runId() + " is not awaiting approval (it is "
                        + run.status().wireName() + (approval != null && !approval.isPending()
                        ? "; its request was already " + approval.decision().wireName() : "") + ")", run);
            }
            if (!approval.inputHash().equals(decision.inputHash())) {
                throw new ConflictException("input_hash does not match the pending request for step "
                        + approval.stepNumber() + ": the decision is about another call than the one that would "
                        + "run; read the run again", run);
            }
            return run;
        });
    }

    /** A decision that lost its compare-and-set (another decision, a cancel or the expiry came first) is a 409. */
    private Uni<Run> decided(boolean moved, String tenant, Run before, Run after, String decidedBy) {
        if (!moved) {
            return runs.get(tenant, before.runId()).map(current -> {
                throw new ConflictException("run " + current.runId() + " is no longer awaiting approval (it is "
                        + current.status().wireName() + ")", current);
            });
        }
        Approval decided = after.approval();
        audit.approvalDecided(tenant, decidedBy, after.runId().toString(), decided.stepNumber(),
                decided.inputHash(), decided.decision().wireName());
        metrics.approvalDecided(decided.decision().wireName(),
                Duration.between(decided.requestedAt(), decided.decidedAt()));
        return Uni.createFrom().item(after);
    }
}
