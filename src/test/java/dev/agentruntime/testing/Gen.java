package dev.agentruntime.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

/**
 * A generator of random values for property tests, drawn from a seeded {@link Random} so that a failure can be
 * replayed ({@link Property#forAll}). Strings lean towards their edges (empty, longest, unusual characters), the
 * way a property-testing library's would, because that is where parsers break.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(Random random);

    default <R> Gen<R> map(Function<? super T, ? extends R> mapping) {
        return random -> mapping.apply(next(random));
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** One of {@code values}, each as likely. */
    @SafeVarargs
    static <T> Gen<T> elements(T... values) {
        List<T> all = List.of(values);
        return random -> all.get(random.nextInt(all.size()));
    }

    /** A value of one of {@code generators}, each as likely. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... generators) {
        return random -> generators[random.nextInt(generators.length)].next(random);
    }

    /**
     * Strings of 0 to {@code maxLength} UTF-16 chars of any kind: printable ASCII, control characters, other BMP
     * characters and lone surrogate halves (a string a client sends need not be well-formed UTF-16).
     */
    static Gen<String> strings(int maxLength) {
        return random -> {
            int length = length(random, maxLength);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(10);
                text.append((char) (kind < 5 ? 0x20 + random.nextInt(0x5F)        // printable ASCII
                        : kind < 6 ? random.nextInt(0x20)                          // control characters
                        : kind < 9 ? 0x80 + random.nextInt(0xD800 - 0x80)          // the rest of the BMP
                        : 0xD800 + random.nextInt(0x800)));                        // surrogate halves
            }
            return text.toString();
        };
    }

    /** Strings of 0 to {@code maxLength} chars taken from {@code alphabet}. */
    static Gen<String> strings(String alphabet, int maxLength) {
        return random -> {
            int length = length(random, maxLength);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        };
    }

    /** Decimals from {@code min} to {@code max} (inclusive) with exactly {@code scale} digits after the point. */
    static Gen<BigDecimal> decimals(BigDecimal min, BigDecimal max, int scale) {
        BigInteger low = min.setScale(scale, RoundingMode.CEILING).unscaledValue();
        BigInteger span = max.setScale(scale, RoundingMode.FLOOR).unscaledValue().subtract(low).add(BigInteger.ONE);
        List<BigDecimal> edges = List.of(min.setScale(scale, RoundingMode.CEILING),
                max.setScale(scale, RoundingMode.FLOOR), BigDecimal.ZERO.setScale(scale));
        return random -> {
            if (random.nextInt(10) == 0) {
                return edges.get(random.nextInt(edges.size()));
            }
            BigInteger offset;
            do {
                offset = new BigInteger(span.bitLength(), random);
            } while (offset.compareTo(span) >= 0);
            return new BigDecimal(low.add(offset), scale);
        };
    }

    /** Random UUIDs, drawn from the seeded source (so a replay draws the same ones). */
    static Gen<UUID> uuids() {
        return random -> new UUID(random.nextLong(), random.nextLong());
    }

    /** A length from 0 to max, one time in ten each exactly 0 or exactly max. */
    private static int length(Random random, int maxLength) {
        int edge = random.nextInt(10);
        return edge == 0 ? 0 : edge == 1 ? maxLength : random.nextInt(maxLength + 1);
    }
}
