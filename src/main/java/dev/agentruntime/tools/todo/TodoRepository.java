package dev.agentruntime.tools.todo;

import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The todo tool's state, one list per tenant. Todos are kept for the store's TTL after their last change. */
public interface TodoRepository {

    /** One page of a tenant's todos, oldest first, with the exact counts of all of them. */
    record Page(List<Todo> todos, int total, int completed) {
    }

    /**
     * Stores {@code todo} unless one with its id exists, and returns whichever is stored, so a retried add is a
     * no-op. Empty when the tenant already keeps {@code maxTodos} todos: nothing is stored.
     */
    Uni<Optional<Todo>> insertIfAbsent(String tenant, Todo todo, int maxTodos);

    /** Todos {@code offset} to {@code offset + limit - 1}, oldest first, and the counts of all. */
    Uni<Page> page(String tenant, int limit, int offset);

    Uni<Optional<Todo>> find(String tenant, String id);

    /**
     * Marks a todo completed at {@code now}, once: a todo already completed stays as it was, so concurrent
     * completions agree on one {@code completed_at}. Empty when there is no such todo.
     */
    Uni<Optional<Todo>> complete(String tenant, String id, Instant now);

    /** Returns false when there was no such todo. */
    Uni<Boolean> delete(String tenant, String id);
}
