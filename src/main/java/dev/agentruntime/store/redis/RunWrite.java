package dev.agentruntime.store.redis;

import dev.agentruntime.run.Run;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The keys and arguments of {@code save_run.lua}, the fragment the scripts that store a whole run start with
 * (submission, save): the run as JSON expiring a TTL after its creation, and its entry in the tenant's index
 * (the cutoff below which its entries have expired, for the scripts that trim it). Later writes of the run
 * ({@code run_record.lua}) leave the index alone.
 * Scripts that include the fragment append their own keys and arguments after these.
 */
record RunWrite(String runKey, String indexKey, String json, long expireAtMs, long createdMs, String runId,
                long cutoffMs) {

    static RunWrite of(RedisSupport redis, Run run, Duration ttl, Clock clock) {
        long created = run.createdAt().toEpochMilli();
        return new RunWrite(redis.keys().run(run.runId()), redis.keys().runIndex(run.tenant()), redis.writeRun(run),
                created + ttl.toMillis(), created, run.runId().toString(), clock.millis() - ttl.toMillis());
    }

    List<String> keys(String... more) {
        return concat(List.of(runKey, indexKey), more);
    }

    List<String> args(String... more) {
        return concat(List.of(json, Long.toString(expireAtMs), Long.toString(createdMs), runId,
                Long.toString(cutoffMs)), more);
    }

    private static List<String> concat(List<String> first, String... more) {
        if (more.length == 0) {
            return first;
        }
        String[] all = first.toArray(new String[first.size() + more.length]);
        System.arraycopy(more, 0, all, first.size(), more.length);
        return List.of(all);
    }
}
