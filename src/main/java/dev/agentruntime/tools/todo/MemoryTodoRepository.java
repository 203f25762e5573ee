package dev.agentruntime.tools.todo;

import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded todo store, with the same TTL rule as Redis: a todo expires a TTL after its last change. */
public final class MemoryTodoRepository implements TodoRepository {

    private record Entry(Todo todo, Instant expiresAt) {
    }

    private final Map<String, Entry> todos = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    public MemoryTodoRepository(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Todo> insertIfAbsent(String tenant, Todo todo) {
        return Uni.createFrom().item(() -> todos.compute(key(tenant, todo.id()),
                (id, existing) -> existing != null && alive(existing) ? existing : entry(todo)).todo());
    }

    @Override
    public Uni<List<Todo>> list(String tenant) {
        return Uni.createFrom().item(() -> {
            todos.values().removeIf(e -> !alive(e));
            String prefix = key(tenant, "");
            return todos.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .map(e -> e.getValue().todo())
                    .sorted(Comparator.comparing(Todo::createdAt).thenComparing(Todo::id)).toList();
        });
    }

    @Override
    public Uni<Optional<Todo>> find(String tenant, String id) {
        return Uni.createFrom().item(() -> Optional.ofNullable(todos.get(key(tenant, id))).filter(this::alive).map(Entry::todo));
    }

    @Override
    public Uni<Boolean> update(String tenant, Todo todo) {
        return Uni.createFrom().item(() -> todos.computeIfPresent(key(tenant, todo.id()),
                (id, existing) -> alive(existing) ? entry(todo) : null) != null);
    }

    @Override
    public Uni<Boolean> delete(String tenant, String id) {
        return Uni.createFrom().item(() -> {
            Entry removed = todos.remove(key(tenant, id));
            return removed != null && alive(removed);
        });
    }

    /** Tenant names cannot contain '/', so this key never mixes two tenants' todos. */
    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    private Entry entry(Todo todo) {
        return new Entry(todo, clock.instant().plus(ttl));
    }

    private boolean alive(Entry entry) {
        return entry.expiresAt().isAfter(clock.instant());
    }
}
