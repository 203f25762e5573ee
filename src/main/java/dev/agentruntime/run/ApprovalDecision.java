package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/** Where a request for approval stands. */
@RegisterForReflection
public enum ApprovalDecision {
    PENDING, APPROVED, REJECTED, EXPIRED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
