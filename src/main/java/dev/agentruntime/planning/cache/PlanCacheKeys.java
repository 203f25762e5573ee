package dev.agentruntime.planning.cache;

import dev.agentruntime.run.Sha256;

/**
 * The key of a cached plan: the tenant, the prompt with its whitespace normalised, the hash of the instructions the
 * model was given (the tenant's tool catalog with every schema, and the step limit) and the model. A new tool, a
 * changed schema or another model is another key; the prompt itself is never stored, only in the hash.
 */
public final class PlanCacheKeys {

    private PlanCacheKeys() {
    }

    public static String of(String tenant, String prompt, String instructions, String model) {
        return Sha256.hex(tenant + '\0' + normalise(prompt) + '\0' + Sha256.hex(instructions) + '\0' + model);
    }

    /** Runs of whitespace become one space, and the ends are trimmed; case and punctuation are kept. */
    static String normalise(String prompt) {
        return prompt.strip().replaceAll("\\s+", " ");
    }
}
