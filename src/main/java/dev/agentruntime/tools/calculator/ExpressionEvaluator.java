package dev.agentruntime.tools.calculator;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Evaluates arithmetic over exact decimals with a recursive-descent parser: never eval, a script engine or
 * reflection. Grammar:
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
    /** Precision of a quotient that has no finite decimal expansion (1 / 3). */
    private static final MathContext INEXACT_DIVISION = MathContext.DECIMAL128;

    public BigDecimal evaluate(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new CalculatorException("the expression is empty", 0);
        }
        int length = expression.codePointCount(0, expression.length());
        if (length > MAX_LENGTH) {
            throw new CalculatorException("the expression is " + length
                    + " characters long; at most " + MAX_LENGTH + " are allowed", 0);
        }
        return normalize(new Parser(expression).parseAll());
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

        BigDecimal parseAll() {
            BigDecimal value = expression();
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

        private BigDecimal expression() {
            enter();
            BigDecimal value = term();
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

        private BigDecimal term() {
            BigDecimal value = factor();
            while (true) {
                skipSpaces();
                if (peek('*')) {
                    if (pos + 1 < text.length() && text.charAt(pos + 1) == '*') {
                        throw error("the operator '**' is not supported");
                    }
                    pos++;
                    value = value.multiply(factor());
                } else if (peek('/')) {
                    int operatorPos = pos;
                    pos++;
                    BigDecimal divisor = factor();
                    if (divisor.signum() == 0) {
                        throw new CalculatorException("division by zero", operatorPos + 1);
                    }
                    value = divide(value, divisor);
                } else {
                    return value;
                }
            }
        }

        private BigDecimal factor() {
            skipSpaces();
            if (peek('-') || peek('+')) {
                boolean negate = peek('-');
                pos++;
                enter();
                BigDecimal operand = factor();
                depth--;
                return negate ? operand.negate() : operand;
            }
            return primary();
        }

        private BigDecimal primary() {
            skipSpaces();
            if (pos >= text.length()) {
                throw new CalculatorException("the expression ends where a number or '(' was expected", 0);
            }
            char c = text.charAt(pos);
            if (c == '(') {
                int open = pos;
                pos++;
                BigDecimal value = expression();
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

        private BigDecimal number() {
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
            return new BigDecimal(literal.endsWith(".") ? literal + "0" : literal);
        }

        private static boolean isAsciiDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
            try {
                return dividend.divide(divisor);
            } catch (ArithmeticException nonTerminating) {
                return dividend.divide(divisor, INEXACT_DIVISION);
            }
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
}
