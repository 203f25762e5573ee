package dev.agentruntime.tools.calculator;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Evaluates arithmetic exactly with a recursive-descent parser: never eval, a script engine or reflection. Every
 * intermediate value is an exact fraction, so {@code 10 / 3 * 3} is 10 and {@code 1 / 3 + 1 / 3 + 1 / 3} is 1; only
 * a result with no finite decimal expansion is rounded, once, at the end, to {@link #PRECISION}. Grammar:
 * <pre>
 *   expression := term (('+' | '-') term)*
 *   term       := factor (('*' | '/') factor)*
 *   factor     := ('-' | '+') factor | primary
 *   primary    := number | '(' expression ')'
 *   number     := digits ['.' digits] | '.' digits
 * </pre>
 * Length and nesting are bounded so hostile input ends in a {@link CalculatorException}, never a StackOverflowError.
 * Thread-safe: each call parses with its own cursor.
 */
public final class ExpressionEvaluator {

    public static final int MAX_LENGTH = 1_000;
    public static final int MAX_DEPTH = 100;
    /**
     * A result with no finite decimal expansion (10 / 3) is rounded to 34 significant digits, half to even: IEEE
     * 754 decimal128, 3.333333333333333333333333333333333. Nothing else is ever rounded.
     */
    public static final MathContext PRECISION = MathContext.DECIMAL128;

    public BigDecimal evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new CalculatorException("the expression is empty", 0);
        }
        int length = expression.codePointCount(0, expression.length());
        if (length > MAX_LENGTH) {
            throw new CalculatorException("the expression is " + length
                    + " characters long; at most " + MAX_LENGTH + " are allowed", 0);
        }
        return normalize(new Parser(expression).parseAll().toDecimal());
    }

    /** 25.00 → 25 and 1E+2 → 100: a plain number without noise zeros. */
    static BigDecimal normalize(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static final class Parser {
        private final String text;
        private int pos;
        /** Levels of nesting: parentheses and unary signs. The expression itself is level 0, not 1. */
        private int depth = -1;

        Parser(String text) {
            this.text = text;
        }

        Ratio parseAll() {
            Ratio value = expression();
            skipSpaces();
            if (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ')') {
                    throw error("unexpected ')' without a matching '('");
                }
                throw error("expected an operator but found " + describe(pos));
            }
            return value;
        }

        private Ratio expression() {
            enter();
            Ratio value = term();
            while (true) {
                skipSpaces();
                if (peek('+')) {
                    pos++;
                    value = value.add(term());
                } else if (peek('-')) {
                    pos++;
                    value = value.subtract(term());
                } else {
                    depth--;
                    return value;
                }
            }
        }

        private Ratio term() {
            Ratio value = factor();
            while (true) {
                skipSpaces();
                // Written by people who expect them: say so, rather than "expected an operator".
                if (peek('^') || peek('*') && pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
                    throw error("powers are not supported ('" + (peek('^') ? "^" : "**") + "'): multiply "
                            + "instead, as in 2 * 2 * 2; only numbers, + - * / and parentheses are");
                }
                if (peek('*')) {
                    pos++;
                    value = value.multiply(factor());
                } else if (peek('/')) {
                    int operatorPos = pos;
                    pos++;
                    Ratio divisor = factor();
                    if (divisor.signum() == 0) {
                        throw new CalculatorException("division by zero", operatorPos + 1);
                    }
                    value = value.divide(divisor);
                } else {
                    return value;
                }
            }
        }

        private Ratio factor() {
            skipSpaces();
            if (peek('-') || peek('+')) {
                boolean negate = peek('-');
                pos++;
                enter();
                Ratio operand = factor();
                depth--;
                return negate ? operand.negate() : operand;
            }
            return primary();
        }

        private Ratio primary() {
            skipSpaces();
            if (pos >= text.length()) {
                throw new CalculatorException("the expression ends where a number or '(' was expected", 0);
            }
            char c = text.charAt(pos);
            if (c == '(') {
                int open = pos;
                pos++;
                Ratio value = expression();
                skipSpaces();
                if (!peek(')')) {
                    if (pos >= text.length()) {
                        throw new CalculatorException("missing ')' for the '(' opened", open + 1);
                    }
                    throw error("expected ')' but found " + describe(pos));
                }
                pos++;
                return value;
            }
            if (Character.isDigit(c) || c == '.') {
                return number();
            }
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                    pos++;
                }
                String name = text.substring(start, pos);
                skipSpaces();
                String what = peek('(') ? "function calls are not allowed: '" + name + "(...)'"
                        : "names are not allowed: '" + name + "'";
                throw new CalculatorException(what + "; only numbers, + - * / and parentheses are", start + 1);
            }
            if (c == ')') {
                throw error("expected a number but found ')'");
            }
            throw error("expected a number or '(' but found " + describe(pos));
        }

        private Ratio number() {
            int start = pos;
            int dots = 0;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                if (text.charAt(pos) == '.') {
                    dots++;
                }
                pos++;
            }
            String literal = text.substring(start, pos);
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                throw new CalculatorException("exponent notation such as '" + literal + text.charAt(pos)
                        + "...' is not supported; write the number in full", start + 1);
            }
            if (dots > 1 || literal.equals(".") || !literal.chars().allMatch(ch -> ch == '.' || isAsciiDigit(ch))) {
                throw new CalculatorException("malformed number '" + literal + "'", start + 1);
            }
            return Ratio.of(new BigDecimal(literal.endsWith(".") ? literal + "0" : literal));
        }

        private static boolean isAsciiDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("the expression nests deeper than " + MAX_DEPTH + " levels");
            }
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private String describe(int at) {
            return at >= text.length() ? "the end of the expression" : "'" + text.charAt(at) + "'";
        }

        private CalculatorException error(String message) {
            return new CalculatorException(message, pos + 1);
        }
    }

    /** An exact rational number in lowest terms, its denominator positive. */
    private record Ratio(BigInteger numerator, BigInteger denominator) {

        static Ratio of(BigDecimal decimal) {
            return decimal.scale() <= 0 ? new Ratio(decimal.toBigIntegerExact(), BigInteger.ONE)
                    : reduced(decimal.unscaledValue(), BigInteger.TEN.pow(decimal.scale()));
        }

        private static Ratio reduced(BigInteger numerator, BigInteger denominator) {
            BigInteger gcd = denominator.signum() < 0 ? numerator.gcd(denominator).negate()
                    : numerator.gcd(denominator);
            return gcd.equals(BigInteger.ONE) ? new Ratio(numerator, denominator)
                    : new Ratio(numerator.divide(gcd), denominator.divide(gcd));
        }

        Ratio add(Ratio other) {
            return reduced(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                    denominator.multiply(other.denominator));
        }

        Ratio subtract(Ratio other) {
            return add(other.negate());
        }

        Ratio multiply(Ratio other) {
            return reduced(numerator.multiply(other.numerator), denominator.multiply(other.denominator));
        }

        /** {@code other} is not zero (the parser says where it was). */
        Ratio divide(Ratio other) {
            return reduced(numerator.multiply(other.denominator), denominator.multiply(other.numerator));
        }

        Ratio negate() {
            return new Ratio(numerator.negate(), denominator);
        }

        int signum() {
            return numerator.signum();
        }

        /** Exact when the fraction has a finite decimal expansion, else rounded to {@link #PRECISION}. */
        BigDecimal toDecimal() {
            BigDecimal top = new BigDecimal(numerator);
            if (denominator.equals(BigInteger.ONE)) {
                return top;
            }
            try {
                return top.divide(new BigDecimal(denominator));
            } catch (ArithmeticException nonTerminating) {
                return top.divide(new BigDecimal(denominator), PRECISION);
            }
        }
    }
}
