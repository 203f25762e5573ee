package dev.agentruntime.tools.todo;

import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded todo store, with the same rules as Redis: a todo expires a TTL after its last change, and a tenant
 * keeps at most a given number. Each tenant's todos sit in their own map, so no operation scans other tenants'.
 */
public final class MemoryTodoRepository implements TodoRepository {

    private static final Comparator<Todo> OLDEST_FIRST = Comparator.comparing(Todo::createdAt).thenComparing(Todo::id);

    private record Entry(Todo todo, Instant expiresAt) {
    }

    private final Map<String, Map<String, Entry>> tenants = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;

    public MemoryTodoRepository(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    @Override
    public Uni<Optional<Todo>> insertIfAbsent(String tenant, Todo todo, int maxTodos) {
        return Uni.createFrom().item(() -> {
            Map<String, Entry> todos = of(tenant);
            synchronized (todos) {
                Entry existing = todos.get(todo.id());
                if (existing != null && alive(existing)) {
                    return Optional.of(existing.todo());
                }
                todos.values().removeIf(e -> !alive(e));
                if (todos.size() >= maxTodos) {
                    return Optional.empty();
                }
                todos.put(todo.id(), entry(todo));
                return Optional.of(todo);
            }
        });
    }

    @Override
    public Uni<Page> page(String tenant, int limit, int offset) {
        return Uni.createFrom().item(() -> {
            Map<String, Entry> todos = of(tenant);
            List<Todo> all;
            synchronized (todos) {
                todos.values().removeIf(e -> !alive(e));
                all = new ArrayList<>(todos.size());
                todos.values().forEach(e -> all.add(e.todo()));
            }
            all.sort(OLDEST_FIRST);
            int completed = (int) all.stream().filter(Todo::completed).count();
            List<Todo> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
            return new Page(List.copyOf(page), all.size(), completed);
        });
    }

    @Override
    public Uni<Optional<Todo>> find(String tenant, String id) {
        return Uni.createFrom().item(() -> {
            Map<String, Entry> todos = of(tenant);
            synchronized (todos) {
                return Optional.ofNullable(todos.get(id)).filter(this::alive).map(Entry::todo);
            }
        });
    }

    @Override
    public Uni<Optional<Todo>> complete(String tenant, String id, Instant now) {
        return Uni.createFrom().item(() -> {
            Map<String, Entry> todos = of(tenant);
            synchronized (todos) {
                Entry existing = todos.get(id);
                if (existing == null || !alive(existing)) {
                    return Optional.empty();
                }
                if (!existing.todo().completed()) {
                    existing = entry(existing.todo().complete(now));
                    todos.put(id, existing);
                }
                return Optional.of(existing.todo());
            }
        });
    }

    @Override
    public Uni<Boolean> delete(String tenant, String id) {
        return Uni.createFrom().item(() -> {
            Map<String, Entry> todos = of(tenant);
            synchronized (todos) {
                Entry removed = todos.remove(id);
                return removed != null && alive(removed);
            }
        });
    }

    private Map<String, Entry> of(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new HashMap<>());
    }

    private Entry entry(Todo todo) {
        return new Entry(todo, clock.instant().plus(ttl));
    }

    private boolean alive(Entry entry) {
        return entry.expiresAt().isAfter(clock.instant());
    }
}
