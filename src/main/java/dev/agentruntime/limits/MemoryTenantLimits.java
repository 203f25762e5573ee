package dev.agentruntime.limits;

import dev.agentruntime.run.Usage;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Quotas of this process only: right for one instance on the memory store. */
public final class MemoryTenantLimits implements TenantLimits {

    private record Spent(LocalDate day, long tokens, double usd) {
    }

    private static final long WINDOW_MS = 60_000;

    /** Each tenant's run starts of the last minute, oldest first: a sliding window, like Redis's. */
    private final Map<String, Deque<Long>> starts = new ConcurrentHashMap<>();
    private final Map<String, Spent> spent = new ConcurrentHashMap<>();
    private final LimitsConfig config;
    private final Clock clock;

    public MemoryTenantLimits(LimitsConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Uni<Duration> acquireRun(String tenant) {
        return Uni.createFrom().item(() -> {
            if (config.runsPerMinute() <= 0) {
                return Duration.ZERO;
            }
            long now = clock.millis();
            Deque<Long> recent = starts.computeIfAbsent(tenant, t -> new ArrayDeque<>());
            synchronized (recent) {
                while (!recent.isEmpty() && recent.peekFirst() <= now - WINDOW_MS) {
                    recent.pollFirst();
                }
                if (recent.size() >= config.runsPerMinute()) {
                    return Duration.ofMillis(Math.max(1, recent.peekFirst() + WINDOW_MS - now));
                }
                recent.addLast(now);
                return Duration.ZERO;
            }
        });
    }

    @Override
    public Uni<Boolean> budgetExhausted(String tenant) {
        return Uni.createFrom().item(() -> {
            Spent today = spent.get(tenant);
            return today != null && today.day().equals(today()) && over(today.tokens(), today.usd());
        });
    }

    @Override
    public Uni<Void> spend(String tenant, Usage usage) {
        return Uni.createFrom().item(() -> {
            LocalDate day = today();
            spent.merge(tenant, new Spent(day, usage.inputTokens() + usage.outputTokens(), usage.costUsd()),
                    (old, add) -> old.day().equals(day)
                            ? new Spent(day, old.tokens() + add.tokens(), old.usd() + add.usd()) : add);
            return null;
        });
    }

    private boolean over(long tokens, double usd) {
        return (config.dailyTokens() > 0 && tokens >= config.dailyTokens())
                || (config.dailyUsd() > 0 && usd >= config.dailyUsd());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
