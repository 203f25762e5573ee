package dev.agentruntime.observability;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** A logged failure keeps where it happened and what kind it was, and loses what it quoted. */
class RedactedFailureTest {

    @Test
    void classesAndFramesStayMessagesGo() {
        IllegalStateException inner = new IllegalStateException("the prompt was: add todo to call Ada");
        RuntimeException outer = new RuntimeException("while planning 'add todo to call Ada'", inner);

        RedactedFailure redacted = RedactedFailure.of(outer);

        StringWriter printed = new StringWriter();
        redacted.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).doesNotContain("Ada")
                .contains("java.lang.RuntimeException", "java.lang.IllegalStateException",
                        "RedactedFailureTest.classesAndFramesStayMessagesGo");
        assertThat(redacted.getStackTrace()).isEqualTo(outer.getStackTrace());
        assertThat(redacted.getCause().getStackTrace()).isEqualTo(inner.getStackTrace());
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        RedactedFailure redacted = RedactedFailure.of(a);

        assertThat(redacted.getCause()).isNotNull();
        assertThat(redacted.getCause().getCause()).isNull();
    }
}
