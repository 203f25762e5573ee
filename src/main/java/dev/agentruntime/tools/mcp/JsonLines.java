package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stdio MCP server's messages: newline-delimited JSON, each read with a byte bound. A line longer than the bound is
 * never held whole: the part past the bound streams through a JSON parser that keeps only the message's top-level
 * {@code id} (so the call it answers can fail at once, whichever member comes first), and is then skipped up to its
 * newline. The stream stays usable for the next message. Not thread-safe: one reader thread per server.
 */
final class JsonLines {

    /** One line: a message, one too large to read, or one that is not JSON. */
    sealed interface Line permits Message, TooLarge, Malformed {
    }

    record Message(JsonNode json, int bytes) implements Line {
    }

    /** @param id the message's top-level {@code id}; null when it has none or it could not be found */
    record TooLarge(Long id, long bytes) implements Line {
    }

    /** @param prefix the line's start, for a log line */
    record Malformed(String prefix, long bytes) implements Line {
    }

    static final int PREFIX_CHARS = 200;
    private static final int CHUNK = 64 * 1024;
    private static final int RETAINED = 64 * 1024;

    private final InputStream in;
    private final int maxBytes;
    private final ObjectMapper mapper;
    private final byte[] chunk = new byte[CHUNK];
    private int position;
    private int limit;
    private byte[] line = new byte[1024];
    private int length;

    JsonLines(InputStream in, int maxBytes, ObjectMapper mapper) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.mapper = mapper;
    }

    /** The next non-blank line, or null at the end of the stream. */
    Line next() throws IOException {
        while (true) {
            length = 0;
            if (line.length > RETAINED) {
                // A large message's buffer is not kept between messages.
                line = new byte[1024];
            }
            boolean ended = false;
            while (!ended) {
                if (position == limit && !fill()) {
                    if (length == 0) {
                        return null;
                    }
                    break;
                }
                int newline = indexOfNewline();
                int end = newline < 0 ? limit : newline;
                int n = end - position;
                if ((long) length + n > maxBytes) {
                    return tooLarge();
                }
                append(n);
                position = newline < 0 ? limit : newline + 1;
                ended = newline >= 0;
            }
            if (!isBlank()) {
                return parse();
            }
        }
    }

    private Line parse() {
        try {
            JsonNode json = mapper.readTree(line, 0, length);
            if (json != null) {
                return new Message(json, length);
            }
        } catch (IOException notJson) {
            // said below
        }
        return new Malformed(prefix(line, length), length);
    }

    /**
     * The line so far (exactly {@code length} bytes) and the rest of it, streamed: its top-level {@code id} is kept,
     * everything else skipped without being held.
     */
    private Line tooLarge() throws IOException {
        RestOfLine rest = new RestOfLine();
        Long id = null;
        try (JsonParser parser = mapper.getFactory().createParser(new SequenceInputStream(
                new ByteArrayInputStream(line, 0, length), rest))) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if ("id".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                        id = parser.getLongValue();
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException notJsonAllTheWay) {
            // what follows skips whatever is left of the line
        }
        rest.skipToEnd();
        long bytes = length + rest.read;
        length = 0;
        return new TooLarge(id, bytes);
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk, 0, CHUNK);
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void append(int n) {
        if (length + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(maxBytes, Math.max((long) line.length * 2, length + n)));
        }
        System.arraycopy(chunk, position, line, length, n);
        length += n;
    }

    private boolean isBlank() {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The start of a line as text, for a log line: never the whole of it. */
    static String prefix(byte[] bytes, int length) {
        String text = new String(bytes, 0, Math.min(length, PREFIX_CHARS), StandardCharsets.UTF_8);
        return length > PREFIX_CHARS ? text + "… (" + length + " bytes)" : text;
    }

    /** The rest of the current line from the chunked input, up to (and eating) its newline. */
    private final class RestOfLine extends InputStream {
        private boolean ended;
        private long read;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int max) throws IOException {
            if (ended || max == 0) {
                return ended ? -1 : 0;
            }
            if (position == limit && !fill()) {
                ended = true;
                return -1;
            }
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            int n = Math.min(max, end - position);
            if (n == 0) {
                // at the newline itself
                position++;
                ended = true;
                return -1;
            }
            System.arraycopy(chunk, position, target, offset, n);
            position += n;
            read += n;
            return n;
        }

        void skipToEnd() throws IOException {
            while (!ended) {
                if (position == limit && !fill()) {
                    ended = true;
                    return;
                }
                int newline = indexOfNewline();
                if (newline < 0) {
                    read += limit - position;
                    position = limit;
                } else {
                    read += newline - position;
                    position = newline + 1;
                    ended = true;
                }
            }
        }
    }
}
