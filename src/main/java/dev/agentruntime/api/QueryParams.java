package dev.agentruntime.api;

import dev.agentruntime.run.InvalidRequestException;

/** Query parameters as the API reads them: a bad value is a 400 whose detail names the parameter and its range. */
final class QueryParams {

    /** Pages of listings: at most this many items per request. */
    static final int MAX_LIMIT = 100;

    private QueryParams() {
    }

    static int intParam(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        String range = max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw InvalidRequestException.badRequest(name + ": must be " + range + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.badRequest(name + ": must be " + range + ", got '" + raw + "'");
        }
    }
}
