package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Status of one step in a run's execution log. */
public enum StepStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
