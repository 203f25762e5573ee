package dev.agentruntime.tools.calculator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionEvaluatorTest {

    private final ExpressionEvaluator evaluator = new ExpressionEvaluator();

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "2 + 2                | 4",
            "(10 + 5) * 2         | 30",
            "10 + 5 * 2           | 20",
            "-3.5 * 4             | -14",
            "100 / 8              | 12.5",
            "100 / 4              | 25",
            "0.1 + 0.2            | 0.3",
            "1 - 0.9              | 0.1",
            "--5                  | 5",
            "-(2 + 3) * -2        | 10",
            "+7                   | 7",
            "8 / 2 / 2            | 2",
            "10 - 4 - 3           | 3",
            ".5 + 1.              | 1.5",
            "  ( ( 1 ) )          | 1",
            "2.50 * 4             | 10",
            "1000000 * 1000000    | 1000000000000",
            "0.0000001 * 1        | 0.0000001",
            "123456789012345678901234567890 + 1 | 123456789012345678901234567891",
    })
    void evaluatesExactly(String expression, String expected) {
        assertThat(evaluator.evaluate(expression)).isEqualByComparingTo(expected);
    }

    @Test
    void resultsArePlainWithoutNoiseZerosOrExponents() {
        assertThat(evaluator.evaluate("100 / 4").toString()).isEqualTo("25");
        assertThat(evaluator.evaluate("50 * 2").toString()).isEqualTo("100");
        assertThat(evaluator.evaluate("0.0000001 * 1").toPlainString()).isEqualTo("0.0000001");
    }

    /**
     * Issue 26, item 8: values are exact fractions until the end, so dividing and multiplying back gives the number
     * back; only a result with no finite decimal expansion is rounded, to 34 significant digits, half to even.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "10 / 3 * 3              | 10",
            "2 / 3 * 3               | 2",
            "1 / 3 + 1 / 3 + 1 / 3   | 1",
            "10 / 3                  | 3.333333333333333333333333333333333",
            "2 / 3                   | 0.6666666666666666666666666666666667",
            "-2 / 3                  | -0.6666666666666666666666666666666667",
            "1 / 7 * 7 - 1           | 0",
            "(1 / 3) / (1 / 6)       | 2",
            "1 / 8                   | 0.125",
            "100 / 3 / -3 * 9        | -100",
    })
    void intermediateValuesAreExactFractions(String expression, String expected) {
        assertThat(evaluator.evaluate(expression).toPlainString()).isEqualTo(expected);
    }

    @Test
    void aResultWithoutAFiniteExpansionKeeps34SignificantDigits() {
        BigDecimal third = evaluator.evaluate("1 / 3");
        assertThat(third.precision()).isEqualTo(ExpressionEvaluator.PRECISION.getPrecision()).isEqualTo(34);
        assertThat(third.toPlainString()).isEqualTo("0.3333333333333333333333333333333333");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "1 / 0                 | division by zero at position 3",
            "5 / (2 - 2)           | division by zero at position 3",
            "2 +* 3                | expected a number or '(' but found '*' at position 4",
            "2 ** 3                | powers are not supported ('**'): multiply instead, as in 2 * 2 * 2; only numbers, + - * / and parentheses are at position 3",
            "2 ^ 3                 | powers are not supported ('^'): multiply instead, as in 2 * 2 * 2; only numbers, + - * / and parentheses are at position 3",
            "2^10                  | powers are not supported ('^')",
            "(1 + 1) ^ (2)         | parentheses are at position 9",
            "sqrt(4)               | function calls are not allowed: 'sqrt(...)'",
            "x + 1                 | names are not allowed: 'x'",
            "2 + abc               | names are not allowed: 'abc'; only numbers, + - * / and parentheses are at position 5",
            "(1 + 2                | missing ')' for the '(' opened at position 1",
            "1 + 2)                | unexpected ')' without a matching '(' at position 6",
            "()                    | expected a number but found ')' at position 2",
            "1e5                   | exponent notation such as '1e...' is not supported",
            "1.2.3                 | malformed number '1.2.3' at position 1",
            "2 +                   | the expression ends where a number or '(' was expected",
            "2 3                   | expected an operator but found '3' at position 3",
            "__import__('os')      | function calls are not allowed: '__import__(...)'",
            "1 % 2                 | expected an operator but found '%' at position 3",
            "$1                    | expected a number or '(' but found '$' at position 1",
    })
    void rejectsWhatIsNotArithmeticSayingWhatAndWhere(String expression, String message) {
        assertThatThrownBy(() -> evaluator.evaluate(expression))
                .isInstanceOf(CalculatorException.class)
                .hasMessageContaining(message);
    }

    @Test
    void rejectsEmptyInput() {
        assertThatThrownBy(() -> evaluator.evaluate("")).hasMessage("the expression is empty");
        assertThatThrownBy(() -> evaluator.evaluate("   ")).hasMessage("the expression is empty");
        assertThatThrownBy(() -> evaluator.evaluate(null)).hasMessage("the expression is empty");
    }

    @Test
    void tenThousandNestedParenthesesAreAClearErrorNotAStackOverflow() {
        String nested = "(".repeat(10_000) + "1" + ")".repeat(10_000);
        assertThatThrownBy(() -> evaluator.evaluate(nested))
                .isInstanceOf(CalculatorException.class)
                .hasMessageContaining("characters long; at most 1000");
        String deepButShort = "(".repeat(400) + "1" + ")".repeat(400);
        assertThatThrownBy(() -> evaluator.evaluate(deepButShort))
                .isInstanceOf(CalculatorException.class)
                .hasMessageContaining("nests deeper than " + ExpressionEvaluator.MAX_DEPTH);
        String unaryChain = "-".repeat(900) + "1";
        assertThatThrownBy(() -> evaluator.evaluate(unaryChain))
                .hasMessageContaining("nests deeper than " + ExpressionEvaluator.MAX_DEPTH);
    }

    @Test
    void aOneMegabyteExpressionIsRejectedBeforeParsing() {
        String huge = "1+".repeat(500_000) + "1";
        assertThatThrownBy(() -> evaluator.evaluate(huge))
                .isInstanceOf(CalculatorException.class)
                .hasMessage("the expression is 1000001 characters long; at most 1000 are allowed");
    }

    /** Issue 13, item 10: "at most 100 levels of nesting" refused 100 and allowed only 99. */
    @Test
    void exactlyTheDocumentedNestingWorksAndOneMoreIsRefused() {
        int depth = ExpressionEvaluator.MAX_DEPTH;
        assertThat(evaluator.evaluate("(".repeat(depth) + "7" + ")".repeat(depth))).isEqualByComparingTo("7");
        assertThat(evaluator.evaluate("-".repeat(depth) + "7")).isEqualByComparingTo("7");
        assertThatThrownBy(() -> evaluator.evaluate("(".repeat(depth + 1) + "7" + ")".repeat(depth + 1)))
                .hasMessageContaining("nests deeper than " + depth);
    }

    @Test
    void errorsCarryTheirPosition() {
        CalculatorException error = org.junit.jupiter.api.Assertions.assertThrows(CalculatorException.class,
                () -> evaluator.evaluate("12 + 3 / 0"));
        assertThat(error.position()).isEqualTo(8);
    }
}
