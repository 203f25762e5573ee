package dev.agentruntime.tools.todo;

import dev.agentruntime.store.redis.LuaScript;
import dev.agentruntime.store.redis.RedisSupport;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Todos in Redis, per tenant: {@code todo:{tenant}:{id}} (JSON, expiring a TTL after the last change) and
 * {@code todos:by-time:{tenant}}.
 */
public final class RedisTodoRepository implements TodoRepository {

    private static final LuaScript INSERT = LuaScript.load("todo_insert");
    private static final LuaScript LIST = LuaScript.load("todo_list");
    private static final LuaScript DELETE = LuaScript.load("todo_delete");

    /** Returns what is stored, new or existing. */
    private static LuaScript.Invocation insertCall(String todo, String index, String json, long ttlMs,
                                                   long createdMs, String id) {
        return INSERT.with(List.of(todo, index), List.of(json, Long.toString(ttlMs), Long.toString(createdMs), id));
    }

    private static LuaScript.Invocation listAllCall(String index, String todoKeyPrefix) {
        return LIST.with(List.of(index), List.of(todoKeyPrefix));
    }

    private static LuaScript.Invocation deleteCall(String todo, String index, String id) {
        return DELETE.with(List.of(todo, index), List.of(id));
    }

    private final RedisSupport redis;
    private final Duration ttl;

    public RedisTodoRepository(RedisSupport redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Todo> insertIfAbsent(String tenant, Todo todo) {
        return redis.run(insertCall(todoKey(tenant, todo.id()), indexKey(tenant), redis.write(todo), ttl.toMillis(),
                        todo.createdAt().toEpochMilli(), todo.id()))
                .map(stored -> redis.read(stored.toString(), Todo.class));
    }

    @Override
    public Uni<List<Todo>> list(String tenant) {
        return redis.run(listAllCall(indexKey(tenant), todoKey(tenant, "")))
                .map(reply -> RedisSupport.strings(reply).stream().map(json -> redis.read(json, Todo.class)).toList());
    }

    @Override
    public Uni<Optional<Todo>> find(String tenant, String id) {
        return redis.guard(redis.redis().value(String.class).get(todoKey(tenant, id)))
                .map(json -> Optional.ofNullable(json).map(j -> redis.read(j, Todo.class)));
    }

    @Override
    public Uni<Boolean> update(String tenant, Todo todo) {
        return redis.guard(redis.redis().value(String.class).setAndChanged(todoKey(tenant, todo.id()), redis.write(todo),
                new SetArgs().xx().px(ttl)));
    }

    @Override
    public Uni<Boolean> delete(String tenant, String id) {
        return redis.run(deleteCall(todoKey(tenant, id), indexKey(tenant), id)).map(reply -> reply.toLong() > 0);
    }

    private String todoKey(String tenant, String id) {
        return redis.key("todo:" + tenant + ":" + id);
    }

    private String indexKey(String tenant) {
        return redis.key("todos:by-time:" + tenant);
    }
}
