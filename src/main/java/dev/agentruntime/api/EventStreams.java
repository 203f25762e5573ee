package dev.agentruntime.api;

import dev.agentruntime.run.CapacityExceededException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on event streams open on this instance ({@code agent.api.max-event-streams}): each holds a connection and
 * a follower, so one more than the bound is refused (503, Retry-After) before its stream starts, rather than served
 * slowly or cut off.
 */
@ApplicationScoped
public class EventStreams {

    /** One admitted stream; released once, however its stream ends. */
    public static final class Permit {
        private final AtomicBoolean released = new AtomicBoolean();
        private final AtomicInteger open;

        private Permit(AtomicInteger open) {
            this.open = open;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }

    private final AtomicInteger open = new AtomicInteger();
    private final int max;

    public EventStreams(ApiConfig config) {
        this.max = config.maxEventStreams();
    }

    /** A permit for one more stream, or the 503 that refuses it. */
    public Permit admit() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw CapacityExceededException.eventStreams(max);
        }
        return new Permit(open);
    }

    /** Streams open now. */
    public int open() {
        return open.get();
    }
}
