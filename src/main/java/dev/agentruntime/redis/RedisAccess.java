package dev.agentruntime.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.StoreUnavailableException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.impl.types.ErrorType;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How every Redis adapter reaches Redis (the run store's and those of todos, quotas and the plan cache): the client,
 * the key space, scripts called by SHA, JSON, and the translation of outages into {@link StoreUnavailableException}.
 * It knows no adapter's keys or records.
 */
public final class RedisAccess {

    /** Where a command goes: the pool, or a connection of the caller's own (the run store's followers). */
    @FunctionalInterface
    public interface Sender {
        Uni<Response> send(Command command, String... args);
    }

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final KeySpace keys;

    public RedisAccess(ReactiveRedisDataSource redis, ObjectMapper mapper, KeySpace keys) {
        this.redis = redis;
        this.mapper = mapper;
        this.keys = keys;
    }

    public ReactiveRedisDataSource redis() {
        return redis;
    }

    public KeySpace keys() {
        return keys;
    }

    /**
     * Runs a script by its SHA; when Redis does not know it (first call, or its script cache was flushed), loads it
     * and calls it once more. Each script touches several keys in one atomic step and one round trip.
     */
    public Uni<Response> run(LuaScript.Invocation call) {
        return run(call, redis::execute);
    }

    /** The same over {@code sender}. */
    public Uni<Response> run(LuaScript.Invocation call, Sender sender) {
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
