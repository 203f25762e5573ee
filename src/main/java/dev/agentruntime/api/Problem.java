package dev.agentruntime.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details: the body of every error answer. */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:agent-runtime:problem:";

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail);
    }
}
