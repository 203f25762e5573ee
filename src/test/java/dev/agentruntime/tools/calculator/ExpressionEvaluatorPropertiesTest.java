package dev.agentruntime.tools.calculator;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the input, the calculator answers with a number or its own error: never anything else. */
class ExpressionEvaluatorPropertiesTest {

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();

    @Property(tries = 2000)
    void anyStringGivesANumberOrACalculatorError(@ForAll @StringLength(max = 1200) String input) {
        assertNumberOrCalculatorError(input);
    }

    @Property(tries = 2000)
    void arithmeticLookingStringsGiveANumberOrACalculatorError(@ForAll("arithmeticish") String input) {
        assertNumberOrCalculatorError(input);
    }

    @Property(tries = 500)
    void sumsOfDecimalsAreExact(@ForAll("decimals") BigDecimal a, @ForAll("decimals") BigDecimal b) {
        assertThat(evaluator.evaluate(a.toPlainString() + " + " + b.toPlainString())).isEqualByComparingTo(a.add(b));
        assertThat(evaluator.evaluate("(" + a.toPlainString() + ") * (" + b.toPlainString() + ")"))
                .isEqualByComparingTo(a.multiply(b));
    }

    @Provide
    Arbitrary<String> arithmeticish() {
        return Arbitraries.strings().withChars("0123456789.+-*/() eE").ofMaxLength(200);
    }

    @Provide
    Arbitrary<BigDecimal> decimals() {
        return Arbitraries.bigDecimals().between(new BigDecimal("-1000000"), new BigDecimal("1000000")).ofScale(4);
    }

    private void assertNumberOrCalculatorError(String input) {
        try {
            assertThat(evaluator.evaluate(input)).isNotNull();
        } catch (CalculatorException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
