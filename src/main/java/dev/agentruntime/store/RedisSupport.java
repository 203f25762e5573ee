package dev.agentruntime.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.StoreUnavailableException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** What both Redis stores share: key names, JSON mapping, Lua calls and the translation of outages. */
final class RedisSupport {

    private final ReactiveRedisDataSource redis;
    private final ObjectMapper mapper;
    private final String prefix;

    RedisSupport(ReactiveRedisDataSource redis, ObjectMapper mapper, String prefix) {
        this.redis = redis;
        this.mapper = mapper;
        this.prefix = prefix;
    }

    String key(String name) {
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

    String queueKey() {
        return key("runs:queue");
    }

    ReactiveRedisDataSource redis() {
        return redis;
    }

    /** Runs a Lua script: each script touches several keys in one atomic step and one round trip. */
    Uni<Response> eval(String script, List<String> keys, Object... args) {
        List<String> command = new ArrayList<>(2 + keys.size() + args.length);
        command.add(script);
        command.add(Integer.toString(keys.size()));
        command.addAll(keys);
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return guard(redis.execute("EVAL", command.toArray(String[]::new)));
    }

    /** An unreachable or overloaded Redis becomes one exception the API answers with 503. */
    <T> Uni<T> guard(Uni<T> call) {
        return call.onFailure(failure -> !(failure instanceof StoreUnavailableException))
                .transform(StoreUnavailableException::new);
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bulk strings of an array reply, in order. */
    static List<String> strings(Response array) {
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
