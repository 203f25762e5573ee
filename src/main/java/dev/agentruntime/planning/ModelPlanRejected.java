package dev.agentruntime.planning;

import dev.agentruntime.run.Usage;

/**
 * The model answered, but not with a valid plan. Carries the reason code ({@code malformed_json},
 * {@code unknown_tool}, …) and the tokens the answer cost, so the fallback can still account for them.
 * Never retried: asking the same model the same thing again rarely helps and doubles the bill.
 */
public class ModelPlanRejected extends RuntimeException {

    private final String reason;
    private final Usage usage;

    public ModelPlanRejected(String reason, String message, Usage usage) {
        super(message);
        this.reason = reason;
        this.usage = usage;
    }

    public String reason() {
        return reason;
    }

    public Usage usage() {
        return usage;
    }
}
