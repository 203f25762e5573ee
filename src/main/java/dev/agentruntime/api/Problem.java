package dev.agentruntime.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.agentruntime.run.Run;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9457 problem details: the body of every error answer. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"type", "title", "status", "detail"})
public record Problem(String type, String title, int status, String detail, Run run) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:agent-runtime:problem:";

    /** A problem about a run, which travels with it as the extension member {@code run} (RFC 9457 §3.2). */
    public Problem withRun(Run current) {
        return new Problem(type, title, status, detail, current);
    }

    public static Problem of(String slug, String title, int status, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null);
    }
}
