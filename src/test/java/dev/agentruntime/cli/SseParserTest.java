package dev.agentruntime.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseParserTest {

    private final List<SseParser.Event> events = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add);

    @Test
    void anEventIsDispatchedAtTheBlankLineWithItsIdNameAndData() {
        feed("id: 7", "event: step_started", "data: {\"step_number\":1}", "");

        assertThat(events).containsExactly(new SseParser.Event("7", "step_started", "{\"step_number\":1}"));
    }

    @Test
    void dataLinesJoinWithNewlinesCommentsAreSkippedAndTheIdCarriesOver() {
        feed(": keep-alive", "id: 1", "data: a", "data:b", "", "event: named", "data: c", "");

        assertThat(events).containsExactly(new SseParser.Event("1", "message", "a\nb"),
                new SseParser.Event("1", "named", "c"));
    }

    @Test
    void nothingIsDispatchedWithoutDataAndTheNameDoesNotCarryOver() {
        feed("event: run_started", "", "data: x", "");

        assertThat(events).containsExactly(new SseParser.Event(null, "message", "x"));
    }

    @Test
    void anEventLargerThanTheBoundIsRefused() {
        String half = "x".repeat(SseParser.MAX_EVENT_CHARS / 2 + 1);
        parser.line("data: " + half);

        assertThatThrownBy(() -> parser.line("data: " + half)).isInstanceOf(CliException.class)
                .hasMessageContaining("larger than");
        assertThat(events).isEmpty();
    }

    private void feed(String... lines) {
        for (String line : lines) {
            parser.line(line);
        }
    }
}
