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
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.List;

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
    private final boolean cluster;
    private final Replicas replicas;
    private final FollowerConnection followers;

    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix) {
        this(redis, mapper, prefix, true, false);
    }

    /**
     * {@code compact}: write runs and events in their compact forms (see {@link StoredRuns}, {@link EventPayloads});
     * both forms are always read, so a rolling upgrade from a version that only reads the full form writes it until
     * every instance is upgraded ({@code agent.store.compact-records=false}). {@code cluster}: Redis is a Redis
     * Cluster, where one command or pipeline may only name keys of one slot (see {@link #each}).
     */
    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix, boolean compact,
                        boolean cluster) {
        this(redis, mapper, prefix, compact, cluster, Replicas.NONE);
    }

    /**
     * How many replicas must have a write a failover must not lose before it is acknowledged, and for how long at
     * most to wait for them ({@code WAIT}; none: replication stays asynchronous).
     */
    public record Replicas(int count, java.time.Duration timeout) {
        public static final Replicas NONE = new Replicas(0, java.time.Duration.ZERO);
    }

    /** {@code replicas}: see {@link #runReplicated}. */
    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix, boolean compact,
                        boolean cluster, Replicas replicas) {
        this.replicas = replicas;
        this.access = new RedisAccess(redis, mapper, new KeySpace(prefix));
        this.keys = new RunKeys(access.keys());
        this.payloads = new EventPayloads(mapper);
        this.runs = new StoredRuns(mapper);
        this.compact = compact;
        this.cluster = cluster;
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

    /**
     * A script whose write a failover must not lose (a submission, a step's record, a run's end): with replicas to
     * wait for, the script and {@code WAIT} go as one pipeline, on one connection to the keys' primary, since
     * {@code WAIT} waits for that connection's own writes (and may not run inside a script). What {@code WAIT}
     * answers is not checked: past the timeout the write stands, as it would without waiting.
     */
    Uni<Response> runReplicated(LuaScript.Invocation call) {
        if (replicas.count() == 0) {
            return run(call);
        }
        Request wait = Request.cmd(io.vertx.mutiny.redis.client.Command.WAIT).arg(replicas.count())
                .arg(replicas.timeout().toMillis());
        return access.run(call, (command, args) -> {
            Request script = Request.cmd(io.vertx.mutiny.redis.client.Command.newInstance(command));
            for (String arg : args) {
                script.arg(arg);
            }
            return redis().getRedis().batch(List.of(script, wait)).map(replies -> replies.get(0))
                    .onFailure(ErrorType.class).transform(RedisSupport::scriptError);
        });
    }

    /**
     * A pipeline's failure names each failed command's error as {@code ERR [i] <error>}; the script's (index 0) is
     * given back as Redis answered it, so that {@code NOSCRIPT} and {@code OOM} are told apart as for one command.
     */
    private static Throwable scriptError(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage().lines().findFirst().orElse("");
        return message.startsWith("ERR [0] ") ? ErrorType.create(message.substring("ERR [0] ".length())) : failure;
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

    /** Whether Redis is a cluster: commands of several partitions then go apart (ADR 0032). */
    boolean cluster() {
        return cluster;
    }

    /**
     * Sends groups of commands, each group naming keys of one partition, and answers their replies in order: on one
     * Redis all in one pipeline (one round trip), on a cluster one pipeline per group, all at once.
     */
    Uni<List<Response>> each(List<List<Request>> groups) {
        List<Request> all = groups.stream().flatMap(List::stream).toList();
        if (all.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (!cluster) {
            return guard(redis().getRedis().batch(all));
        }
        List<Uni<List<Response>>> sent = groups.stream().filter(group -> !group.isEmpty())
                .map(group -> redis().getRedis().batch(group)).toList();
        return guard(Uni.join().all(sent).andFailFast()
                .map(replies -> replies.stream().flatMap(List::stream).toList()));
    }

    /**
     * Keyless commands (INFO, CLUSTER INFO) on every primary that serves a partition: the replies of each partition's
     * pipeline, in partition order (a primary serving several answers several times); on one Redis, its one. On a
     * cluster each partition's pipeline starts with a read of one of its keys, which routes it to the partition's
     * primary: the client sends a keyless command to any one node, and its {@code RedisCluster} helper casts to a
     * connection class that Quarkus's observed client wraps (a {@code ClassCastException} in the app).
     */
    Uni<List<List<Response>>> onEveryPrimary(java.util.function.Supplier<List<Request>> commands) {
        if (!cluster) {
            return each(List.of(commands.get())).map(List::of);
        }
        List<List<Request>> groups = new java.util.ArrayList<>();
        for (int partition : RunKeys.partitions()) {
            List<Request> group = new java.util.ArrayList<>();
            group.add(Request.cmd(io.vertx.mutiny.redis.client.Command.EXISTS).arg(keys.queue(partition)));
            group.addAll(commands.get());
            groups.add(group);
        }
        int size = groups.get(0).size();
        return each(groups).map(replies -> {
            List<List<Response>> perPartition = new java.util.ArrayList<>();
            for (int i = 0; i < replies.size(); i += size) {
                perPartition.add(replies.subList(i + 1, i + size));
            }
            return perPartition;
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
