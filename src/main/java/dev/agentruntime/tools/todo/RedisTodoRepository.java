package dev.agentruntime.tools.todo;

import dev.agentruntime.redis.LuaScript;
import dev.agentruntime.redis.RedisAccess;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Todos in Redis, per tenant: {@code todo:{tenant}:{id}} (JSON, expiring a TTL after the last change) and
 * {@code todos:by-time:{tenant}} (expiring with the tenant's newest todo), which also counts them for the cap.
 */
public final class RedisTodoRepository implements TodoRepository {

    private static final LuaScript INSERT = LuaScript.load("todo_insert");
    private static final LuaScript LIST = LuaScript.load("todo_list");
    private static final LuaScript DELETE = LuaScript.load("todo_delete");
    private static final LuaScript COMPLETE = LuaScript.load("todo_complete");

    /** Returns what is stored, new or existing. */
    private static LuaScript.Invocation insertCall(String todo, String index, String fullMarker, String json,
                                                   long ttlMs, long createdMs, String id, int maxTodos,
                                                   String todoKeyPrefix) {
        return INSERT.with(List.of(todo, index, fullMarker), List.of(json, Long.toString(ttlMs),
                Long.toString(createdMs), id, Integer.toString(maxTodos), todoKeyPrefix));
    }

    private static LuaScript.Invocation pageCall(String index, String todoKeyPrefix, int offset, int limit) {
        return LIST.with(List.of(index), List.of(todoKeyPrefix, Integer.toString(offset), Integer.toString(limit)));
    }

    private static LuaScript.Invocation completeCall(String todo, String completedJson, long ttlMs) {
        return COMPLETE.with(List.of(todo), List.of(completedJson, Long.toString(ttlMs)));
    }

    private static LuaScript.Invocation deleteCall(String todo, String index, String fullMarker, String id) {
        return DELETE.with(List.of(todo, index, fullMarker), List.of(id));
    }

    private final RedisAccess redis;
    private final Duration ttl;

    public RedisTodoRepository(RedisAccess redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Optional<Todo>> insertIfAbsent(String tenant, Todo todo, int maxTodos) {
        return redis.run(insertCall(todoKey(tenant, todo.id()), indexKey(tenant), fullKey(tenant),
                        redis.write(todo), ttl.toMillis(), todo.createdAt().toEpochMilli(), todo.id(), maxTodos,
                        todoKey(tenant, "")))
                .map(stored -> Optional.ofNullable(stored).map(json -> redis.read(json.toString(), Todo.class)));
    }

    /** The script answers the total and completed counts, then the page. */
    @Override
    public Uni<Page> page(String tenant, int limit, int offset) {
        return redis.run(pageCall(indexKey(tenant), todoKey(tenant, ""), offset, limit)).map(reply -> {
            List<String> items = RedisAccess.strings(reply);
            List<Todo> todos = items.subList(2, items.size()).stream().map(json -> redis.read(json, Todo.class))
                    .toList();
            return new Page(todos, Integer.parseInt(items.get(0)), Integer.parseInt(items.get(1)));
        });
    }

    @Override
    public Uni<Optional<Todo>> find(String tenant, String id) {
        return redis.guard(redis.redis().value(String.class).get(todoKey(tenant, id)))
                .map(json -> Optional.ofNullable(json).map(j -> redis.read(j, Todo.class)));
    }

    /** Todos never change but for their completion: the todo read here is the one the script completes. */
    @Override
    public Uni<Optional<Todo>> complete(String tenant, String id, Instant now) {
        return find(tenant, id).flatMap(found -> found.isEmpty() || found.get().completed()
                ? Uni.createFrom().item(found)
                : redis.run(completeCall(todoKey(tenant, id), redis.write(found.get().complete(now)), ttl.toMillis()))
                        .map(stored -> Optional.ofNullable(stored).map(json -> redis.read(json.toString(), Todo.class))));
    }

    @Override
    public Uni<Boolean> delete(String tenant, String id) {
        return redis.run(deleteCall(todoKey(tenant, id), indexKey(tenant), fullKey(tenant), id)).map(reply -> reply.toLong() > 0);
    }

    private String todoKey(String tenant, String id) {
        return redis.keys().key("todo:" + tenant + ":" + id);
    }

    /** Set while a tenant at its cap has no todo that could have expired yet: its adds are refused at once. */
    private String fullKey(String tenant) {
        return redis.keys().key("todos:full:" + tenant);
    }

    private String indexKey(String tenant) {
        return redis.keys().key("todos:by-time:" + tenant);
    }
}
