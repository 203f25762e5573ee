package dev.agentruntime.testing;

import java.util.Random;

/**
 * Runs a property over a fixed number of generated values with plain JUnit: one seed per run, printed with the
 * value and the try when the property fails, and taken from {@code -Dproperty.seed=<seed>} when given, so a failure
 * is replayed exactly (the same seed draws the same values in the same order).
 */
public final class Property {

    /** The system property that replays a run. */
    public static final String SEED = "property.seed";

    private Property() {
    }

    /** A check of one value that may throw anything (an HTTP call, say). */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Exception;
    }

    /** Checks {@code property} for {@code tries} values of {@code values}; the first failure ends the run. */
    public static <T> void forAll(int tries, Gen<T> values, Check<? super T> property) {
        long seed = Long.getLong(SEED, new Random().nextLong());
        Random random = new Random(seed);
        for (int i = 1; i <= tries; i++) {
            T value = values.next(random);
            try {
                property.accept(value);
            } catch (Exception | AssertionError failure) {
                throw new AssertionError("property failed at try " + i + " of " + tries + " (replay with -D" + SEED
                        + "=" + seed + ") for " + shown(value) + ": " + failure.getMessage(), failure);
            }
        }
    }

    /** The value as the failure shows it: control characters escaped, so it can be read and copied. */
    private static String shown(Object value) {
        String text = String.valueOf(value);
        StringBuilder shown = new StringBuilder(Math.min(text.length(), 2000) + 2).append('<');
        text.chars().limit(2000).forEach(c -> shown.append(c < 0x20 || (c >= 0xD800 && c < 0xE000)
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return shown.append(text.length() > 2000 ? "…>" : ">").toString();
    }
}
