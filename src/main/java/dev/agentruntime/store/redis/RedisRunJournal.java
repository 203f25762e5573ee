package dev.agentruntime.store.redis;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunLifecycle;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The run key, the indexes it is in and its event stream, written by one Lua script per change. */
public final class RedisRunJournal implements RunJournal {

    private static final LuaScript RECORD = LuaScript.load("run_record");
    private static final LuaScript TRANSITION = LuaScript.load("run_transition");

    private final RedisSupport redis;
    private final Clock clock;
    private final Duration ttl;
    private final Duration retention;
    private final HeldEntries held;

    RedisRunJournal(RedisSupport redis, Clock clock, Duration ttl, Duration retention, HeldEntries held) {
        this.redis = redis;
        this.clock = clock;
        this.ttl = ttl;
        this.retention = retention;
        this.held = held;
    }

    @Override
    public Uni<Boolean> record(Run run, List<JournalEvent> events) {
        boolean awaiting = run.status() == RunStatus.AWAITING_APPROVAL && run.approval() != null;
        long expireAt = run.createdAt().toEpochMilli() + ttl.toMillis();
        // The write that ends a run this instance took from the queue also acknowledges its entry.
        String entry = run.status().isTerminal() ? held.entryOf(run.runId()) : null;
        List<String> args = new ArrayList<>(List.of(redis.writeRun(run), Long.toString(expireAt),
                run.runId().toString(), run.status().isTerminal() ? "1" : "0",
                awaiting ? Long.toString(run.approval().expiresAt().toEpochMilli()) : "",
                awaiting ? Long.toString(run.approval().requestedAt().toEpochMilli()) : "",
                Long.toString(eventsExpireAt(run)), entry == null ? "" : entry, RedisRunQueue.GROUP,
                RunLifecycle.terminalWireNames()));
        addEvents(args, events);
        return redis.runReplicated(RECORD.with(runKeys(run), args))
                .map(reply -> {
                    boolean written = reply.toInteger() == 1;
                    if (written && entry != null) {
                        held.acknowledged(run.runId(), entry);
                    }
                    return written;
                });
    }

    private void addEvents(List<String> args, List<JournalEvent> events) {
        for (JournalEvent event : events) {
            args.add(event.type().wireName());
            args.add(event.data() == null ? "{}" : redis.writeEvent(event.data()));
        }
    }

    /** A running run's events live as long as the run; an ended run's for the retention, if that is shorter. */
    private long eventsExpireAt(Run run) {
        long runExpireAt = run.createdAt().toEpochMilli() + ttl.toMillis();
        return run.status().isTerminal() ? Math.min(runExpireAt, clock.millis() + retention.toMillis())
                : runExpireAt;
    }

    @Override
    public Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> events) {
        return redis.run(transitionCall(expected, next, events, false)).map(reply -> reply.toInteger() == 1);
    }

    /** The transition script's call; {@code enqueue}: queue the run in the same step (a run resumed after approval). */
    LuaScript.Invocation transitionCall(RunStatus expected, Run next, List<JournalEvent> events, boolean enqueue) {
        long expireAt = next.createdAt().toEpochMilli() + ttl.toMillis();
        List<String> args = new ArrayList<>(List.of(expected.wireName(), redis.writeRun(next), Long.toString(expireAt),
                next.status().isTerminal() ? "1" : "0", next.runId().toString(), enqueue ? "1" : "0",
                Long.toString(eventsExpireAt(next)), next.tenant(),
                expected == RunStatus.AWAITING_APPROVAL ? "1" : "0"));
        addEvents(args, events);
        return TRANSITION.with(runKeys(next), args);
    }

    /** The keys both scripts take, all of the run's partition: run, events, unfinished, deadlines, awaiting, queue. */
    private List<String> runKeys(Run run) {
        RunKeys keys = redis.keys();
        int partition = RunKeys.partition(run.runId());
        return List.of(keys.run(run.runId()), keys.events(run.runId()), keys.unfinished(partition, run.tenant()),
                keys.approvalDeadlines(partition), keys.awaiting(partition, run.tenant()), keys.queue(partition));
    }
}
