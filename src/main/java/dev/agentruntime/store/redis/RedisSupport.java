package dev.agentruntime.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StoreUnavailableException;
import dev.agentruntime.store.EventPayloads;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.impl.types.ErrorType;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Redis adapter shares: key names, JSON mapping, scripts called by SHA, and the translation of outages
 * into {@link StoreUnavailableException}.
 */
public final class RedisSupport {

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final String prefix;
    private final EventPayloads payloads;
    private final StoredRuns runs;

    private final boolean compact;
    private final FollowerConnection followers = new FollowerConnection(this);

    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix) {
        this(redis, mapper, prefix, true);
    }

    /**
     * {@code compact}: write runs and events in their compact forms (see {@link StoredRuns}, {@link EventPayloads});
     * both forms are always read, so a rolling upgrade from a version that only reads the full form writes it until
     * every instance is upgraded ({@code agent.store.compact-records=false}).
     */
    public RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix, boolean compact) {
        this.redis = redis;
        this.mapper = mapper;
        this.prefix = prefix;
        this.payloads = new EventPayloads(mapper);
        this.runs = new StoredRuns(mapper);
        this.compact = compact;
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
        return compact ? runs.write(run) : write(run);
    }

    public Run readRun(String json) {
        return runs.read(json);
    }

    public String key(String name) {
        return prefix + name;
    }

    String runKey(Object runId) {
        return key("run:" + runId);
    }

    /** Each tenant lists only its own runs. */
    String runIndexKey(String tenant) {
        return key("runs:by-time:" + tenant);
    }

    String eventsKey(Object runId) {
        return key("run:" + runId + ":events");
    }

    /** A tenant's runs that have not ended (score = creation ms), for its quota. */
    String unfinishedKey(String tenant) {
        return key("runs:unfinished:" + tenant);
    }

    /** Every run awaiting approval (score = its deadline ms), which every instance watches to expire them. */
    String approvalDeadlinesKey() {
        return key("approvals:due");
    }

    /** A tenant's runs awaiting approval (score = request ms), for its listing. */
    String awaitingKey(String tenant) {
        return key("runs:awaiting:" + tenant);
    }

    String queueKey() {
        return key("runs:queue");
    }

    public ReactiveRedisDataSource redis() {
        return redis;
    }

    /** The connection event streams read over, apart from the pool (see {@link FollowerConnection}). */
    FollowerConnection followers() {
        return followers;
    }

    /**
     * Runs a script by its SHA; when Redis does not know it (first call, or its script cache was flushed), loads it
     * and calls it once more. Each script touches several keys in one atomic step and one round trip.
     */
    public Uni<Response> run(LuaScript.Invocation call) {
        return run(call, redis::execute);
    }

    /** The same on the followers' connection: a script an event stream runs (an ended run's history). */
    Uni<Response> runForFollowers(LuaScript.Invocation call) {
        return run(call, (command, args) -> {
            io.vertx.mutiny.redis.client.Request request = io.vertx.mutiny.redis.client.Request.cmd(
                    io.vertx.mutiny.redis.client.Command.newInstance(command));
            for (String arg : args) {
                request.arg(arg);
            }
            return followers.send(request);
        });
    }

    /** Where a command goes: the pool, or the followers' connection. */
    @FunctionalInterface
    private interface Sender {
        Uni<Response> send(Command command, String... args);
    }

    private Uni<Response> run(LuaScript.Invocation call, Sender sender) {
        LuaScript script = call.script();
        String[] command = command(script, call.keys(), call.args());
        // When Redis lost its script cache (restart, SCRIPT FLUSH, failover): load the script and call it again.
        return guard(sender.send(Command.EVALSHA, command)
                .onFailure(failure -> isError(failure, "NOSCRIPT"))
                .recoverWithUni(() -> sender.send(Command.SCRIPT, "LOAD", script.source())
                        .flatMap(loaded -> sender.send(Command.EVALSHA, command))));
    }

    private static String[] command(LuaScript script, List<String> keys, List<String> args) {
        String[] command = new String[2 + keys.size() + args.size()];
        command[0] = script.sha1();
        command[1] = Integer.toString(keys.size());
        int i = 2;
        for (String key : keys) {
            command[i++] = key;
        }
        for (String arg : args) {
            command[i++] = arg;
        }
        return command;
    }

    /** True when Redis answered with an error of this kind (the first word of its reply, e.g. BUSYGROUP). */
    public static boolean isError(Throwable failure, String kind) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorType error && error.is(kind)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An unreachable or overloaded Redis becomes one exception the API answers with 503; a Redis at its
     * {@code maxmemory} that refuses a write ({@code OOM}) says so, with a longer Retry-After. Scripts are refused
     * before they run, so a refused write wrote nothing.
     */
    public <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(failure -> isError(failure, "OOM") ? StoreUnavailableException.outOfMemory(failure)
                        : new StoreUnavailableException(failure));
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bulk strings of an array reply, in order. */
    public static List<String> strings(Response array) {
        List<String> values = new ArrayList<>(array == null ? 0 : array.size());
        if (array != null) {
            for (Response item : array) {
                if (item != null) {
                    values.add(item.toString());
                }
            }
        }
        return values;
    }
}
