package dev.agentruntime.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.redis.KeySpace;
import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import dev.agentruntime.run.Run;
import dev.agentruntime.store.EventPayloads;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * What the run store's adapters share on top of the Redis toolkit ({@link RedisAccess}): the run key schema
 * ({@link RunKeys}), the stored forms of runs and events, and the followers' connection.
 */
public final class RedisSupport {

    private final RedisAccess access;
    private final RunKeys keys;
    private final EventPayloads payloads;
    private final StoredRuns runs;

    private final boolean compact;
    private final FollowerConnection followers;

    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix) {
        this(redis, mapper, prefix, true);
    }

    /**
     * {@code compact}: write runs and events in their compact forms (see {@link StoredRuns}, {@link EventPayloads});
     * both forms are always read, so a rolling upgrade from a version that only reads the full form writes it until
     * every instance is upgraded ({@code agent.store.compact-records=false}).
     */
    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix, boolean compact) {
        this.access = new RedisAccess(redis, mapper, new KeySpace(prefix));
        this.keys = new RunKeys(access.keys());
        this.payloads = new EventPayloads(mapper);
        this.runs = new StoredRuns(mapper);
        this.compact = compact;
        this.followers = new FollowerConnection(access);
    }

    /** The toolkit, which the adapters of other capabilities kept on the same Redis (todos, quotas) use too. */
    public RedisAccess access() {
        return access;
    }

    RunKeys keys() {
        return keys;
    }

    /** The full form of event payloads, from either stored form. */
    EventPayloads payloads() {
        return payloads;
    }

    /** An event's payload as it is stored. */
    String writeEvent(JsonNode data) {
        return (compact ? payloads.compact(data) : data).toString();
    }

    /** A run as Redis keeps it (each step once, no null field), and back. */
    public String writeRun(Run run) {
        return compact ? runs.write(run) : access.write(run);
    }

    public Run readRun(String json) {
        return runs.read(json);
    }

    /** The connection event streams read over, apart from the pool (see {@link FollowerConnection}). */
    FollowerConnection followers() {
        return followers;
    }

    /** See {@link RedisAccess#run(LuaScript.Invocation)}. */
    public Uni<Response> run(LuaScript.Invocation call) {
        return access.run(call);
    }

    /** The same on the followers' connection: a script an event stream runs (an ended run's history). */
    Uni<Response> runForFollowers(LuaScript.Invocation call) {
        return access.run(call, (command, args) -> {
            io.vertx.mutiny.redis.client.Request request = io.vertx.mutiny.redis.client.Request.cmd(
                    io.vertx.mutiny.redis.client.Command.newInstance(command));
            for (String arg : args) {
                request.arg(arg);
            }
            return followers.send(request);
        });
    }

    /** See {@link RedisAccess#guard}. */
    <T> Uni<T> guard(Uni<T> call) {
        return access.guard(call);
    }

    ReactiveRedisDataSource redis() {
        return access.redis();
    }
}
