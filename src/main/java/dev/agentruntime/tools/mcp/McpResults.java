package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentruntime.run.ToolException;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code tools/call} result as a step's output: structured content as the JSON it is; otherwise each content
 * block as text (a text block), or a one-line description of what was left out (an image, audio, a resource),
 * one block as itself and several as an array. {@code isError} fails the step with the tool's own words.
 */
final class McpResults {

    /** An error text is quoted in the step's error, which is stored and shown: a server's essay is cut. */
    static final int MAX_ERROR_CHARS = 1000;

    private McpResults() {
    }

    static JsonNode output(String toolName, JsonNode result) {
        if (result.path("isError").asBoolean(false)) {
            throw new ToolException("tool '" + toolName + "' reported an error: " + errorText(result));
        }
        JsonNode structured = result.get("structuredContent");
        if (structured != null && !structured.isNull()) {
            return structured;
        }
        List<JsonNode> blocks = new ArrayList<>();
        result.path("content").forEach(block -> blocks.add(block(block)));
        if (blocks.size() == 1) {
            return blocks.get(0);
        }
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        blocks.forEach(all::add);
        return all;
    }

    private static JsonNode block(JsonNode block) {
        String type = block.path("type").asText("");
        return switch (type) {
            case "text" -> TextNode.valueOf(block.path("text").asText(""));
            case "image", "audio" -> TextNode.valueOf("[" + type + " content (" + block.path("mimeType")
                    .asText("unknown type") + ", " + block.path("data").asText("").length()
                    + " characters of base64) left out]");
            case "resource_link" -> TextNode.valueOf("[resource link: " + block.path("uri").asText("?") + "]");
            case "resource" -> {
                JsonNode resource = block.path("resource");
                yield resource.has("text") ? TextNode.valueOf(resource.path("text").asText(""))
                        : TextNode.valueOf("[embedded resource " + resource.path("uri").asText("?") + " ("
                        + resource.path("mimeType").asText("binary") + ") left out]");
            }
            default -> TextNode.valueOf("[" + (type.isEmpty() ? "untyped" : type) + " content left out]");
        };
    }

    private static String errorText(JsonNode result) {
        StringBuilder text = new StringBuilder();
        result.path("content").forEach(block -> {
            if ("text".equals(block.path("type").asText())) {
                text.append(text.isEmpty() ? "" : " ").append(block.path("text").asText(""));
            }
        });
        return cut(text.isEmpty() ? "no message" : text.toString());
    }

    static String cut(String text) {
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
