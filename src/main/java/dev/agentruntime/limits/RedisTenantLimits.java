package dev.agentruntime.limits;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.run.Usage;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Quotas in Redis, so every instance counts against the same numbers: {@code rate:{tenant}} (the starts of the last
 * minute in a sorted set: a sliding window) and {@code budget:{tenant}:{day}} (a hash of tokens and usd, kept two
 * days).
 */
public final class RedisTenantLimits implements TenantLimits {

    private static final LuaScript ACQUIRE = LuaScript.load("rate_acquire");
    private static final LuaScript SPEND = LuaScript.load("budget_spend");

    /** Returns -1 when allowed, else ms until the window ends. */
    private static LuaScript.Invocation acquireCall(String starts, long nowMs, long windowMs, int limit,
                                                    String member) {
        return ACQUIRE.with(List.of(starts), List.of(Long.toString(nowMs), Long.toString(windowMs),
                Integer.toString(limit), member));
    }

    private static LuaScript.Invocation spendCall(String budget, long tokens, double usd) {
        return SPEND.with(List.of(budget), List.of(Long.toString(tokens), Double.toString(usd)));
    }

    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final RedisAccess redis;
    private final LimitsConfig config;
    private final Clock clock;

    public RedisTenantLimits(RedisAccess redis, LimitsConfig config, Clock clock) {
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Uni<Duration> acquireRun(String tenant) {
        if (config.runsPerMinute() <= 0) {
            return Uni.createFrom().item(Duration.ZERO);
        }
        long now = clock.millis();
        return redis.run(acquireCall(rateKey(tenant), now, WINDOW.toMillis(), config.runsPerMinute(),
                        now + "-" + UUID.randomUUID()))
                .map(reply -> reply.toLong() < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(1, reply.toLong())));
    }

    @Override
    public Uni<Boolean> budgetExhausted(String tenant) {
        if (config.dailyTokens() <= 0 && config.dailyUsd() <= 0) {
            return Uni.createFrom().item(false);
        }
        return redis.guard(redis.redis().hash(String.class).hmget(budgetKey(tenant), "tokens", "usd")).map(spent -> {
            long tokens = number(spent.get("tokens")).longValue();
            double usd = number(spent.get("usd"));
            return (config.dailyTokens() > 0 && tokens >= config.dailyTokens())
                    || (config.dailyUsd() > 0 && usd >= config.dailyUsd());
        });
    }

    @Override
    public Uni<Void> spend(String tenant, Usage usage) {
        long tokens = usage.inputTokens() + usage.outputTokens();
        if (tokens == 0 && usage.costUsd() == 0) {
            return Uni.createFrom().voidItem();
        }
        return redis.run(spendCall(budgetKey(tenant), tokens, usage.costUsd())).replaceWithVoid();
    }

    private String rateKey(String tenant) {
        return redis.keys().key("rate:" + tenant);
    }

    private String budgetKey(String tenant) {
        return redis.keys().key("budget:" + tenant + ":" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    private static Double number(String value) {
        return value == null ? 0.0 : Double.parseDouble(value);
    }
}
