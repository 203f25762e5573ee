package dev.agentruntime.cli;

import java.util.function.Consumer;

/**
 * Server-Sent Events as the HTML standard parses them, line by line: {@code id:}, {@code event:}, {@code data:}
 * (several join with newlines), comments ignored, an event dispatched at each blank line. The id persists from one
 * event to the next, as an EventSource's last event id does.
 */
final class SseParser {

    /** One dispatched event: {@code name} is "message" when the server named none. */
    record Event(String id, String name, String data) {
    }

    /** No single event may carry more text than this: a run's event is at most a step's 64 KiB output and a little. */
    static final int MAX_EVENT_CHARS = 1 << 20;

    private final Consumer<Event> dispatch;
    private final StringBuilder data = new StringBuilder();
    private String id;
    private String name;
    private boolean hasData;

    SseParser(Consumer<Event> dispatch) {
        this.dispatch = dispatch;
    }

    void line(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                dispatch.accept(new Event(id, name == null ? "message" : name, data.toString()));
            }
            data.setLength(0);
            hasData = false;
            name = null;
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> name = value;
            case "data" -> {
                if (data.length() + value.length() > MAX_EVENT_CHARS) {
                    throw new CliException(ExitCode.FAILED, "an event of the stream is larger than "
                            + MAX_EVENT_CHARS + " characters");
                }
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> {
                // retry: and unknown fields are ignored, as by a browser
            }
        }
    }
}
