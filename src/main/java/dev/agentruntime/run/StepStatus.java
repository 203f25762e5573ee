package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/** Status of one step in a run's execution log. */
@RegisterForReflection
public enum StepStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
