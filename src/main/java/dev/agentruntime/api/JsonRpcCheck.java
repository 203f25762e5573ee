package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * What a body sent to {@code /mcp} must be before the MCP extension sees it: one JSON-RPC 2.0 message or a batch
 * of them, each well formed, and the parameters of the methods whose parameters the extension reads unchecked
 * ({@code initialize}, {@code tools/call}, {@code _meta}) of the right shape. The extension answered {@code []},
 * {@code null}, {@code 12} or a string {@code params} with a 500, and never answered a {@code tools/call} without a
 * name. Anything else is the extension's to judge.
 *
 * <p>Answers as the specifications say: a body that is not JSON is a parse error (-32700), one that is not a
 * JSON-RPC message an invalid request (-32600), both with HTTP 400 and a null id (the Streamable HTTP transport:
 * "the server MUST return an HTTP error status code"); a request whose parameters are wrong gets invalid params
 * (-32602) as its answer, with its id.
 */
final class JsonRpcCheck {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;
    private static final String INITIALIZE = "initialize";

    /** Why a body is refused, and how to answer it. */
    record Refusal(int status, JsonNode id, int code, String message) {
        ObjectNode body() {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
            body.set("id", id);
            body.putObject("error").put("code", code).put("message", message);
            return body;
        }
    }

    /** A body checked: refused (then {@code refusal} says why), or fine; {@code initialize} if it opens a session. */
    record Checked(Refusal refusal, boolean initialize) {
    }

    private static final class Invalid extends Exception {
        private final int code;
        private final JsonNode id;

        Invalid(int code, JsonNode id, String message) {
            super(message, null, false, false);
            this.code = code;
            this.id = id;
        }
    }

    private final ObjectMapper mapper;

    JsonRpcCheck(ObjectMapper mapper) {
        this.mapper = mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    Checked check(byte[] body) {
        JsonNode root;
        try {
            root = body.length == 0 ? null : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return refused(PARSE_ERROR, NullNode.instance, "Parse error: the body is not JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            return refused(PARSE_ERROR, NullNode.instance, "Parse error: the body cannot be read");
        }
        if (root == null || root.isMissingNode()) {
            return refused(PARSE_ERROR, NullNode.instance, "Parse error: the body is empty");
        }
        try {
            if (root.isObject()) {
                return new Checked(null, message(root, false));
            }
            if (!root.isArray()) {
                throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: the body must be a JSON-RPC "
                        + "message (an object) or a batch of them (an array), not " + kind(root));
            }
            if (root.isEmpty()) {
                throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: an empty batch");
            }
            for (int i = 0; i < root.size(); i++) {
                if (!root.get(i).isObject()) {
                    throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: batch element " + i
                            + " is " + kind(root.get(i)) + ", not a JSON-RPC message");
                }
                message(root.get(i), true);
                // The transport batches requests and notifications, or answers, never both; the extension takes the
                // whole batch for what its first message is (an answer first: a 500 on a request's string id,
                // ApiFuzzIT seed -6680125973920676942).
                if (i > 0 && isAnswer(root.get(i)) != isAnswer(root.get(0))) {
                    throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: a batch holds requests "
                            + "and notifications or answers, not both (element " + i + " differs from element 0)");
                }
            }
            return new Checked(null, false);
        } catch (Invalid invalid) {
            // In a batch every refusal is the whole body's: the extension would answer the rest.
            boolean answerable = invalid.code == INVALID_PARAMS && root.isObject() && !invalid.id.isNull();
            return new Checked(new Refusal(answerable ? 200 : 400, answerable ? invalid.id : NullNode.instance,
                    invalid.code, invalid.getMessage()), false);
        }
    }

    /** Checks one message; true when it is an {@code initialize} request. */
    private static boolean message(JsonNode message, boolean inBatch) throws Invalid {
        JsonNode id = message.get("id");
        if (!"2.0".equals(message.path("jsonrpc").textValue())) {
            throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: \"jsonrpc\" must be \"2.0\"");
        }
        if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
            throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: \"id\" must be a string or an "
                    + "integer, not " + kind(id));
        }
        JsonNode method = message.get("method");
        if (method == null) {
            boolean result = message.has("result");
            boolean error = message.has("error");
            if (id == null || result == error || (error && !message.get("error").isObject())) {
                throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: a message without "
                        + "\"method\" is an answer, which needs \"id\" and one of \"result\" or \"error\"");
            }
            // It answers one of the server's requests, whose ids are integers: the extension reads an answer's id as
            // a number, and any other one made it fail with a 500 (ApiFuzzIT, seed 5564322221747079429).
            if (!(id.isIntegralNumber() && id.canConvertToLong())) {
                throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: an answer's \"id\" is the "
                        + "integer id of the server's request it answers, not " + kind(id));
            }
            return false;
        }
        if (!method.isTextual() || method.textValue().isEmpty()) {
            throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: \"method\" must be a non-empty "
                    + "string");
        }
        // A request or notification is not an answer: the extension takes any message with "result" or "error" for
        // one, whatever its "method", and read its id as a number (a 500: ApiFuzzIT, seed 5564322221747079429).
        if (message.has("result") || message.has("error")) {
            throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: a message with \"method\" has "
                    + "no \"result\" or \"error\"");
        }
        JsonNode answerTo = id == null ? NullNode.instance : id;
        String name = method.textValue();
        if (name.equals(INITIALIZE) && inBatch) {
            throw new Invalid(INVALID_REQUEST, NullNode.instance, "Invalid Request: initialize cannot be part of a "
                    + "batch");
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject()) {
            throw new Invalid(INVALID_PARAMS, answerTo, "Invalid params: \"params\" must be an object, not "
                    + kind(params));
        }
        if (params != null && params.has("_meta")) {
            JsonNode meta = params.get("_meta");
            JsonNode token = meta.get("progressToken");
            if (!meta.isObject() || (token != null && !(token.isTextual() || token.isIntegralNumber()))) {
                throw new Invalid(INVALID_PARAMS, answerTo, "Invalid params: \"_meta\" must be an object whose "
                        + "progressToken is a string or an integer");
            }
        }
        switch (name) {
            case INITIALIZE -> {
                JsonNode info = params == null ? null : params.get("clientInfo");
                if (params == null || !params.path("protocolVersion").isTextual()
                        || !params.path("capabilities").isObject() || info == null || !info.isObject()
                        || !info.path("name").isTextual() || !info.path("version").isTextual()) {
                    throw new Invalid(INVALID_PARAMS, answerTo, "Invalid params: initialize needs \"protocolVersion\" "
                            + "(a string), \"capabilities\" (an object) and \"clientInfo\" with \"name\" and "
                            + "\"version\" (strings)");
                }
                return true;
            }
            case "tools/call" -> {
                JsonNode arguments = params == null ? null : params.get("arguments");
                if (params == null || !params.path("name").isTextual() || params.path("name").textValue().isEmpty()
                        || (arguments != null && !arguments.isObject())) {
                    throw new Invalid(INVALID_PARAMS, answerTo, "Invalid params: tools/call needs \"name\" (a "
                            + "non-empty string) and, if any, \"arguments\" (an object)");
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean isAnswer(JsonNode message) {
        return !message.has("method");
    }

    private static Checked refused(int code, JsonNode id, String message) {
        return new Checked(new Refusal(400, id, code, message), false);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "not a JSON value";
        };
    }
}
