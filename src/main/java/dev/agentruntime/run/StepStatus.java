package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Locale;

/**
 * Status of one step in a run's execution log. {@code skipped}: its tool was never called. {@code interrupted}: the
 * step had started when the run was cancelled (or its executor lost) and did not finish; its error says whether the
 * tool was called, and a call that was may have had its effect. A step whose tool returned is {@code completed},
 * whatever happened to the run after.
 */
@RegisterForReflection
public enum StepStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED, INTERRUPTED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
