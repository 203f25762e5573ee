package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.testing.TestJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a step keeps of a tools/call result, for the content types the MCP specification defines. */
class McpResultsTest {

    @Test
    void structuredContentWinsOverItsTextCopy() throws Exception {
        JsonNode output = McpResults.output("s__t", json("""
                {"content": [{"type": "text", "text": "{\\"t\\": 1}"}], "structuredContent": {"t": 1}}"""));
        assertThat(output).isEqualTo(json("{\"t\": 1}"));
    }

    @Test
    void oneTextBlockIsAStringAndSeveralBlocksAnArrayWithPlaceholdersForWhatIsLeftOut() throws Exception {
        assertThat(McpResults.output("s__t", json("{\"content\": [{\"type\": \"text\", \"text\": \"hi\"}]}"))
                .textValue()).isEqualTo("hi");
        JsonNode mixed = McpResults.output("s__t", json("""
                {"content": [{"type": "text", "text": "a picture:"},
                             {"type": "image", "mimeType": "image/png", "data": "iVBORw0KGgo="},
                             {"type": "audio", "mimeType": "audio/wav", "data": "UklGRg=="},
                             {"type": "resource_link", "uri": "file:///x.txt", "name": "x"},
                             {"type": "resource", "resource": {"uri": "file:///t.txt", "text": "inline"}},
                             {"type": "resource", "resource": {"uri": "file:///b.bin", "mimeType": "application/zip",
                                                               "blob": "UEsDBA=="}},
                             {"type": "hologram"}]}"""));
        assertThat(mixed.isArray()).isTrue();
        assertThat(mixed.get(0).textValue()).isEqualTo("a picture:");
        assertThat(mixed.get(1).textValue()).isEqualTo("[image content (image/png, 12 characters of base64) left out]");
        assertThat(mixed.get(2).textValue()).startsWith("[audio content (audio/wav");
        assertThat(mixed.get(3).textValue()).isEqualTo("[resource link: file:///x.txt]");
        assertThat(mixed.get(4).textValue()).isEqualTo("inline");
        assertThat(mixed.get(5).textValue()).isEqualTo("[embedded resource file:///b.bin (application/zip) left out]");
        assertThat(mixed.get(6).textValue()).isEqualTo("[hologram content left out]");
    }

    @Test
    void isErrorFailsWithTheToolsWordsCutToABound() throws Exception {
        assertThatThrownBy(() -> McpResults.output("memory__add", json("""
                {"isError": true, "content": [{"type": "text", "text": "Entity with name x not found"}]}""")))
                .isInstanceOf(ToolException.class)
                .hasMessage("tool 'memory__add' reported an error: Entity with name x not found");
        String essay = "e".repeat(5000);
        assertThatThrownBy(() -> McpResults.output("s__t", json("{\"isError\": true, \"content\": [{\"type\": "
                + "\"text\", \"text\": \"" + essay + "\"}]}")))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(McpResults.MAX_ERROR_CHARS + 100));
    }

    private static JsonNode json(String text) throws Exception {
        return TestJson.mapper().readTree(text);
    }
}
