package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * Lifecycle of a run: {@code pending → running → completed | failed | cancelled}; a run whose next step needs a
 * person's approval waits in {@code awaiting_approval} (holding no thread and no queue slot) until it is approved
 * (back to {@code running}), rejected or expired ({@code rejected}), or cancelled. {@link RunLifecycle} holds every
 * transition.
 */
@RegisterForReflection
public enum RunStatus {
    PENDING, RUNNING, AWAITING_APPROVAL, COMPLETED, FAILED, CANCELLED, REJECTED;

    /** No transition leaves it (see {@link RunLifecycle}). */
    public boolean isTerminal() {
        return RunLifecycle.isTerminal(this);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
