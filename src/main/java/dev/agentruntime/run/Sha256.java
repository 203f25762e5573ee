package dev.agentruntime.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a text's UTF-8 bytes: the one hash the runtime binds and keys things by (request bodies under an
 * idempotency key, approvals, cached plans, API keys), written once.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The digest in lower-case hex, as it is stored and sent (64 characters). */
    public static String hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }
}
