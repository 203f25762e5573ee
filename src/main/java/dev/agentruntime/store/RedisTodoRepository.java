package dev.agentruntime.store;

import dev.agentruntime.run.Todo;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Todos in Redis, per tenant: {@code todo:{tenant}:{id}} (JSON, expiring a TTL after the last change) and
 * {@code todos:by-time:{tenant}}.
 */
public final class RedisTodoRepository implements TodoRepository {

    /** KEYS: todo, index. ARGV: json, ttl ms, created ms, id. Returns what is stored, new or existing. */
    private static final String INSERT_IF_ABSENT = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
              return ARGV[1]
            end
            return redis.call('GET', KEYS[1])
            """;

    /** KEYS: index. ARGV: todo-key prefix. Oldest first; index entries whose todo expired are dropped. */
    private static final String LIST = """
            local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
            local todos = {}
            for _, id in ipairs(ids) do
              local todo = redis.call('GET', ARGV[1] .. id)
              if todo then todos[#todos + 1] = todo else redis.call('ZREM', KEYS[1], id) end
            end
            return todos
            """;

    /** KEYS: todo, index. ARGV: id. */
    private static final String DELETE = """
            redis.call('ZREM', KEYS[2], ARGV[1])
            return redis.call('DEL', KEYS[1])
            """;

    private final RedisSupport redis;
    private final Duration ttl;

    RedisTodoRepository(RedisSupport redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Uni<Todo> insertIfAbsent(String tenant, Todo todo) {
        return redis.eval(INSERT_IF_ABSENT, List.of(todoKey(tenant, todo.id()), indexKey(tenant)), redis.write(todo),
                        ttl.toMillis(), todo.createdAt().toEpochMilli(), todo.id())
                .map(stored -> redis.read(stored.toString(), Todo.class));
    }

    @Override
    public Uni<List<Todo>> list(String tenant) {
        return redis.eval(LIST, List.of(indexKey(tenant)), todoKey(tenant, ""))
                .map(reply -> RedisSupport.strings(reply).stream().map(json -> redis.read(json, Todo.class)).toList());
    }

    @Override
    public Uni<Optional<Todo>> find(String tenant, String id) {
        return redis.guard(redis.redis().value(String.class).get(todoKey(tenant, id)))
                .map(json -> Optional.ofNullable(json).map(j -> redis.read(j, Todo.class)));
    }

    @Override
    public Uni<Boolean> update(String tenant, Todo todo) {
        return redis.guard(redis.redis().execute("SET", todoKey(tenant, todo.id()), redis.write(todo), "XX", "PX",
                Long.toString(ttl.toMillis()))).map(reply -> reply != null);
    }

    @Override
    public Uni<Boolean> delete(String tenant, String id) {
        return redis.eval(DELETE, List.of(todoKey(tenant, id), indexKey(tenant)), id).map(reply -> reply.toLong() > 0);
    }

    private String todoKey(String tenant, String id) {
        return redis.key("todo:" + tenant + ":" + id);
    }

    private String indexKey(String tenant) {
        return redis.key("todos:by-time:" + tenant);
    }
}
