package dev.agentruntime.execution;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Counts the attempts of one step (timeouts included) and tells a listener when a retry starts. */
public final class StepAttempts {

    private final AtomicInteger count = new AtomicInteger();
    private final IntConsumer onRetry;

    public StepAttempts(IntConsumer onRetry) {
        this.onRetry = onRetry;
    }

    /** Called at the start of each attempt; returns its number (1 for the first). */
    int begin() {
        int attempt = count.incrementAndGet();
        if (attempt > 1) {
            onRetry.accept(attempt);
        }
        return attempt;
    }

    public int count() {
        return count.get();
    }
}
