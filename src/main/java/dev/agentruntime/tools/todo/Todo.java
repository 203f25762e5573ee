package dev.agentruntime.tools.todo;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An item of the todo store. {@code text} keeps the case the user wrote. */
@RegisterForReflection
public record Todo(String id, String text, boolean completed, Instant createdAt,
                   @Schema(nullable = true) Instant completedAt) {

    public Todo complete(Instant now) {
        return completed ? this : new Todo(id, text, true, createdAt, now);
    }
}
