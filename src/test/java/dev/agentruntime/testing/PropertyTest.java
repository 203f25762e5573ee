package dev.agentruntime.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The property runner says how to replay a failure, and replaying it draws the same values up to it. */
class PropertyTest {

    private static final Gen<Integer> NUMBERS = random -> random.nextInt(1000);

    @AfterEach
    void forgetTheSeed() {
        System.clearProperty(Property.SEED);
    }

    @Test
    void aFailureNamesTheTryTheSeedAndTheValueAndReplaysExactly() {
        List<Integer> first = new ArrayList<>();
        AssertionError failure = catchThrowableOfType(AssertionError.class, () -> Property.forAll(10_000, NUMBERS,
                value -> {
                    first.add(value);
                    assertThat(value).isLessThan(990);
                }));

        assertThat(failure.getMessage()).containsPattern("property failed at try \\d+ of 10000 \\(replay with "
                + "-Dproperty\\.seed=-?\\d+\\) for <99\\d>");
        Matcher seed = Pattern.compile("property\\.seed=(-?\\d+)").matcher(failure.getMessage());
        assertThat(seed.find()).isTrue();
        System.setProperty(Property.SEED, seed.group(1));
        List<Integer> replayed = new ArrayList<>();
        assertThatThrownBy(() -> Property.forAll(10_000, NUMBERS, value -> {
            replayed.add(value);
            assertThat(value).isLessThan(990);
        })).hasMessage(failure.getMessage());
        assertThat(replayed).isEqualTo(first);
    }

    @Test
    void everyTryRunsWhenThePropertyHolds() {
        int[] tries = {0};
        Property.forAll(123, Gen.strings(5), value -> tries[0]++);
        assertThat(tries[0]).isEqualTo(123);
    }
}
