package dev.agentruntime.store;

import dev.agentruntime.run.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Quotas in Redis, so every instance counts against the same numbers: {@code rate:{tenant}:{minute}} (INCR with
 * expiry) and {@code budget:{tenant}:{day}} (a hash of tokens and usd, kept two days).
 */
public final class RedisTenantLimits implements TenantLimits {

    /** KEYS: window. ARGV: window ms, limit. Returns -1 when allowed, else ms until the window ends. */
    private static final String ACQUIRE = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            if n > tonumber(ARGV[2]) then return redis.call('PTTL', KEYS[1]) end
            return -1
            """;

    /** KEYS: budget. ARGV: tokens, usd. */
    private static final String SPEND = """
            redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[1])
            redis.call('HINCRBYFLOAT', KEYS[1], 'usd', ARGV[2])
            redis.call('EXPIRE', KEYS[1], 172800)
            return 1
            """;

    private final RedisSupport redis;
    private final LimitsConfig config;
    private final Clock clock;

    RedisTenantLimits(RedisSupport redis, LimitsConfig config, Clock clock) {
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public Uni<Duration> acquireRun(String tenant) {
        if (config.runsPerMinute() <= 0) {
            return Uni.createFrom().item(Duration.ZERO);
        }
        long minute = clock.millis() / 60_000;
        return redis.eval(ACQUIRE, List.of(redis.key("rate:" + tenant + ":" + minute)), 60_000,
                        config.runsPerMinute())
                .map(reply -> reply.toLong() < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(1, reply.toLong())));
    }

    @Override
    public Uni<Boolean> budgetExhausted(String tenant) {
        if (config.dailyTokens() <= 0 && config.dailyUsd() <= 0) {
            return Uni.createFrom().item(false);
        }
        return redis.guard(redis.redis().execute("HMGET", budgetKey(tenant), "tokens", "usd")).map(reply -> {
            long tokens = number(reply.get(0)).longValue();
            double usd = number(reply.get(1)).doubleValue();
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
        return redis.eval(SPEND, List.of(budgetKey(tenant)), tokens, usage.costUsd()).replaceWithVoid();
    }

    private String budgetKey(String tenant) {
        return redis.key("budget:" + tenant + ":" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    private static Double number(Response value) {
        return value == null ? 0.0 : Double.parseDouble(value.toString());
    }
}
