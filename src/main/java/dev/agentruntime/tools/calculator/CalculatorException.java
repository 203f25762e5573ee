package dev.agentruntime.tools.calculator;

import dev.agentruntime.run.ToolException;

/** The expression is not valid arithmetic or cannot be evaluated; the message says what and where (1-based). */
public class CalculatorException extends ToolException {

    private final int position;

    CalculatorException(String message, int position) {
        super(position > 0 ? message + " at position " + position : message);
        this.position = position;
    }

    /** 1-based character position of the problem, or 0 when it concerns the whole expression. */
    public int position() {
        return position;
    }
}
