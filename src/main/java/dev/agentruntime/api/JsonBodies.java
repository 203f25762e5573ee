package dev.agentruntime.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.InvalidRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Request bodies read by hand rather than bound, so that "not JSON" (400) and "JSON that is not a valid request"
 * (422) stay apart. Strict JSON: one value and nothing after it, no key twice. The detail says where the body went
 * wrong in the caller's terms, never in the parser's.
 */
final class JsonBodies {

    private JsonBodies() {
    }

    /** The body as a JSON object; {@code example} shows the caller what to send, {@code holding} what it must hold. */
    static JsonNode object(String body, ObjectMapper mapper, String example, String holding) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : mapper.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.badRequest("the request body is not valid JSON" + problemOf(e)
                    + where(e.getLocation()) + "; send one object such as " + example);
        }
        if (json == null || json.isMissingNode()) {
            throw InvalidRequestException.badRequest("the request body is empty; send " + example);
        }
        if (!json.isObject()) {
            throw InvalidRequestException.unprocessable("the request body must be a JSON object with " + holding);
        }
        return json;
    }

    /**
     * Refuses fields the request does not have: a misspelt or misplaced one (an idempotency key in the body) would
     * otherwise be dropped without a word, and the request run as if it had not been sent.
     */
    static void onlyFields(JsonNode json, Set<String> fields, String send) {
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            // The MCP tools take an idempotency key as an argument; over HTTP it is a header.
            boolean key = unknown.stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "")
                    .contains("idempotency"));
            throw InvalidRequestException.unprocessable("unknown field(s) " + String.join(", ", unknown) + ": send "
                    + send + (key ? " (an idempotency key goes in the Idempotency-Key header)" : ""));
        }
    }

    private static String problemOf(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.startsWith("Duplicate field")) {
            return " (a key appears twice)";
        }
        if (message.startsWith("Trailing token")) {
            return " (something follows the JSON value)";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return " (it ends too early)";
        }
        return "";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
