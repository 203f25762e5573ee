package dev.agentruntime.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code Prefer: wait=N} (RFC 7240). Unknown or malformed preferences are ignored, as the RFC asks. */
final class PreferWait {

    static final int MAX_SECONDS = 30;
    private static final Pattern WAIT = Pattern.compile("(?i)(?:^|[,;\\s])wait\\s*=\\s*\"?(\\d{1,9})\"?");

    private PreferWait() {
    }

    static Duration parse(String prefer) {
        if (prefer == null) {
            return Duration.ZERO;
        }
        Matcher m = WAIT.matcher(prefer);
        if (!m.find()) {
            return Duration.ZERO;
        }
        return Duration.ofSeconds(Math.min(Long.parseLong(m.group(1)), MAX_SECONDS));
    }
}
