package dev.agentruntime.planning.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key of a cached plan: the tenant, the prompt with its whitespace normalised, the hash of the instructions the
 * model was given (the tenant's tool catalog with every schema, and the step limit) and the model. A new tool, a
 * changed schema or another model is another key; the prompt itself is never stored, only in the hash.
 */
public final class PlanCacheKeys {

    private PlanCacheKeys() {
    }

    public static String of(String tenant, String prompt, String instructions, String model) {
        return sha256(tenant + '\0' + normalise(prompt) + '\0' + sha256(instructions) + '\0' + model);
    }

    /** Runs of whitespace become one space, and the ends are trimmed; case and punctuation are kept. */
    static String normalise(String prompt) {
        return prompt.strip().replaceAll("\\s+", " ");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
