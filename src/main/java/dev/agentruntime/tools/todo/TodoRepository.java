package dev.agentruntime.tools.todo;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Optional;

/** The todo tool's state, one list per tenant. Todos are kept for the store's TTL after their last change. */
public interface TodoRepository {

    /** Stores {@code todo} unless one with its id exists; returns whichever is stored, so a retried add is a no-op. */
    Uni<Todo> insertIfAbsent(String tenant, Todo todo);

    /** All todos, oldest first. */
    Uni<List<Todo>> list(String tenant);

    Uni<Optional<Todo>> find(String tenant, String id);

    /** Replaces an existing todo; returns false when it no longer exists. */
    Uni<Boolean> update(String tenant, Todo todo);

    /** Returns false when there was no such todo. */
    Uni<Boolean> delete(String tenant, String id);
}
