package dev.agentruntime.planning;

import java.util.Locale;

/** What the model request asks for as {@code response_format}, strongest first. */
public enum ResponseForm {
    /** The plan's JSON Schema, enforced by the endpoint (strict when the schema allows it). */
    JSON_SCHEMA,
    /** Any JSON object: the shape is only in the instructions. */
    JSON_OBJECT,
    /** No {@code response_format} at all. */
    NONE;

    /** The next form to try when an endpoint refuses this one. */
    ResponseForm weaker() {
        return this == JSON_SCHEMA ? JSON_OBJECT : NONE;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
