package dev.agentruntime.run;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Why a prompt could not be planned, or why a plan was refused: the reason code of a {@link PlanningException}. */
public enum PlanProblem {
    /** The rules found no tool for the prompt. */
    UNPLANNABLE,
    /** A model's answer was not a JSON plan. */
    MALFORMED_JSON,
    EMPTY_PLAN, TOO_MANY_STEPS, INVALID_PLAN, UNKNOWN_TOOL, INVALID_INPUT, INVALID_REFERENCE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
