package dev.agentruntime.store;

import dev.agentruntime.run.RunEvent;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One follower of a run's events, for the event logs: events are queued under the log's lock, in order, and emitted
 * outside it, one drainer at a time. Emitting writes to the follower's HTTP connection, whose own lock a request
 * thread may hold while it waits for the log's; holding both at once deadlocked 400 followers of one run.
 */
public final class EventFollower {

    private final MultiEmitter<? super RunEvent> emitter;
    private final Predicate<RunEvent> wanted;
    private final Queue<RunEvent> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger draining = new AtomicInteger();

    /** {@code wanted}: the events after the follower's Last-Event-ID. The terminal event always ends the stream. */
    public EventFollower(MultiEmitter<? super RunEvent> emitter, Predicate<RunEvent> wanted) {
        this.emitter = emitter;
        this.wanted = wanted;
    }

    /** Queues the event (call under the log's lock); true when it is the terminal event: this follower is done. */
    public boolean queue(RunEvent event) {
        if (wanted.test(event) || event.isTerminal()) {
            pending.add(event);
        }
        return event.isTerminal();
    }

    /** Emits what is queued (call outside any lock). */
    public void drain() {
        if (draining.getAndIncrement() != 0) {
            return;
        }
        do {
            RunEvent event;
            while ((event = pending.poll()) != null) {
                if (wanted.test(event)) {
                    emitter.emit(event);
                }
                if (event.isTerminal()) {
                    emitter.complete();
                    pending.clear();
                }
            }
        } while (draining.decrementAndGet() != 0);
    }

    /** Ends the stream without a terminal event: the run itself is gone. */
    public void end() {
        emitter.complete();
    }
}
