package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stdio server's lines, each read with a byte bound: a line past it is streamed through (never held) and only its
 * top-level id kept, wherever in the line the id comes; the next line reads as if nothing happened.
 */
class JsonLinesTest {

    private static final int MAX = 1024;

    @Test
    void messagesOneALineBlankLinesSkippedTheLastWithoutANewline() throws IOException {
        List<JsonLines.Line> lines = read(text("{\"id\":1}\n\n  \r\n{\"id\":2}\r\n{\"method\":\"x\"}"));

        assertThat(lines).hasSize(3).allMatch(line -> line instanceof JsonLines.Message);
        assertThat(((JsonLines.Message) lines.get(1)).json().path("id").asInt()).isEqualTo(2);
        assertThat(((JsonLines.Message) lines.get(2)).json().path("method").asText()).isEqualTo("x");
    }

    @Test
    void aLineOverTheBoundIsSkippedKeepingItsIdEvenWhenTheIdComesLast() throws IOException {
        long size = 64L * 1024 * 1024;
        InputStream in = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                text("{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""), repeated('x', size),
                text("\"}]},\"jsonrpc\":\"2.0\",\"id\":42}\n{\"jsonrpc\":\"2.0\",\"id\":43,\"result\":{}}\n"))));

        List<JsonLines.Line> lines = read(in);

        assertThat(lines).hasSize(2);
        JsonLines.TooLarge tooLarge = (JsonLines.TooLarge) lines.get(0);
        assertThat(tooLarge.id()).isEqualTo(42L);
        assertThat(tooLarge.bytes()).isGreaterThan(size);
        assertThat(((JsonLines.Message) lines.get(1)).json().path("id").asInt()).isEqualTo(43);
    }

    @Test
    void anIdBeforeTheBoundAndALongLineThatIsNotJsonBothEndWhereTheyShould() throws IOException {
        String first = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"text\":\"" + "y".repeat(5000) + "\"}}\n";
        String second = "not json at all " + "z".repeat(5000) + "\n";
        String third = "garbage {\"id\":3}\n";

        List<JsonLines.Line> lines = read(text(first + second + third + "{\"id\":8}\n"));

        assertThat(lines).hasSize(4);
        assertThat(((JsonLines.TooLarge) lines.get(0)).id()).isEqualTo(7L);
        assertThat(((JsonLines.TooLarge) lines.get(1)).id()).isNull();
        JsonLines.Malformed malformed = (JsonLines.Malformed) lines.get(2);
        assertThat(malformed.prefix()).isEqualTo("garbage {\"id\":3}");
        assertThat(((JsonLines.Message) lines.get(3)).json().path("id").asInt()).isEqualTo(8);
    }

    @Test
    void aMalformedLineIsShownByItsPrefixOnly() throws IOException {
        List<JsonLines.Line> lines = read(text("{" + "q".repeat(900) + "\n"));

        JsonLines.Malformed malformed = (JsonLines.Malformed) lines.get(0);
        assertThat(malformed.prefix()).hasSizeLessThan(JsonLines.PREFIX_CHARS + 20).endsWith("(901 bytes)");
    }

    private static List<JsonLines.Line> read(InputStream in) throws IOException {
        JsonLines reader = new JsonLines(in, MAX, new ObjectMapper());
        List<JsonLines.Line> lines = new ArrayList<>();
        JsonLines.Line line;
        while ((line = reader.next()) != null) {
            lines.add(line);
        }
        return lines;
    }

    private static InputStream text(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} bytes of {@code c}, generated as they are read: never in memory at once. */
    private static InputStream repeated(char c, long count) {
        return new InputStream() {
            private long left = count;

            @Override
            public int read() {
                return left-- > 0 ? c : -1;
            }

            @Override
            public int read(byte[] target, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                java.util.Arrays.fill(target, offset, offset + n, (byte) c);
                left -= n;
                return n;
            }
        };
    }
}
