package dev.agentruntime.tools.calculator;

import dev.agentruntime.testing.Gen;
import dev.agentruntime.testing.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the input, the calculator answers with a number or its own error: never anything else. */
class ExpressionEvaluatorPropertiesTest {

    private static final Gen<BigDecimal> DECIMALS = Gen.decimals(new BigDecimal("-1000000"),
            new BigDecimal("1000000"), 4);

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();

    @Test
    void anyStringGivesANumberOrACalculatorError() {
        Property.forAll(2000, Gen.strings(1200), this::assertNumberOrCalculatorError);
    }

    @Test
    void arithmeticLookingStringsGiveANumberOrACalculatorError() {
        Property.forAll(2000, Gen.strings("0123456789.+-*/() eE", 200), this::assertNumberOrCalculatorError);
    }

    record Pair(BigDecimal a, BigDecimal b) {
    }

    @Test
    void sumsOfDecimalsAreExact() {
        Property.forAll(500, random -> new Pair(DECIMALS.next(random), DECIMALS.next(random)), pair -> {
            BigDecimal a = pair.a();
            BigDecimal b = pair.b();
            assertThat(evaluator.evaluate(a.toPlainString() + " + " + b.toPlainString()))
                    .isEqualByComparingTo(a.add(b));
            assertThat(evaluator.evaluate("(" + a.toPlainString() + ") * (" + b.toPlainString() + ")"))
                    .isEqualByComparingTo(a.multiply(b));
        });
    }

    private void assertNumberOrCalculatorError(String input) {
        try {
            assertThat(evaluator.evaluate(input)).isNotNull();
        } catch (CalculatorException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
