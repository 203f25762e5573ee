package dev.agentruntime.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.servers.Server;
import org.eclipse.microprofile.openapi.annotations.servers.ServerVariable;

/**
 * The shared parts of the OpenAPI document, which is the API's contract (ADR 0026, a copy in docs/openapi.yaml): the
 * API port as the server (Swagger UI is served on the management port), the two ways to present credentials, and
 * the error answers, each a problem JSON with an example.
 */
@OpenAPIDefinition(
        info = @Info(title = "Agent Runtime API", version = "1",
                description = "Turns a natural-language prompt into a plan of tool calls and executes it reliably. "
                        + "Field names are snake_case, times ISO-8601 UTC, ids UUIDs; errors are RFC 9457 problem "
                        + "JSON. With AGENT_AUTH=off no credentials are needed and every run belongs to tenant "
                        + "\"default\"."),
        servers = @Server(url = "http://{host}:{port}",
                description = "The API port (not the management port that serves Swagger UI)",
                variables = {
                        @ServerVariable(name = "host", defaultValue = "localhost",
                                description = "Where the API is reached"),
                        @ServerVariable(name = "port", defaultValue = "8080",
                                description = "QUARKUS_HTTP_PORT")}),
        components = @Components(
                examples = @ExampleObject(name = ApiDocumentation.RUN_EXAMPLE, summary = "A completed two-step run",
                        value = ApiDocumentation.RUN_EXAMPLE_VALUE),
                securitySchemes = {
                        @SecurityScheme(securitySchemeName = ApiDocumentation.API_KEY, type = SecuritySchemeType.APIKEY,
                                in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key",
                                description = "A key of AGENT_API_KEYS (AGENT_AUTH=api-key)"),
                        @SecurityScheme(securitySchemeName = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP,
                                scheme = "bearer",
                                description = "A key of AGENT_API_KEYS (AGENT_AUTH=api-key), or a JWT signed by "
                                        + "AGENT_JWT_PUBLIC_KEY naming the tenant in its tenant claim (AGENT_AUTH=jwt)")},
                responses = {
                        @APIResponse(name = "BadRequest", responseCode = "400",
                                description = "The body is not JSON, or a query parameter or header is malformed",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "limit", value = """
                                                {"type": "urn:agent-runtime:problem:bad-request", "title": "Bad request",
                                                 "status": 400, "detail": "limit: must be an integer from 1 to 100, got 0"}
                                                """))),
                        @APIResponse(name = "Unauthorized", responseCode = "401",
                                description = "Credentials missing or not valid (AGENT_AUTH api-key or jwt)",
                                headers = @Header(name = "WWW-Authenticate", description = "Bearer realm=\"agent-runtime\"",
                                        schema = @Schema(type = SchemaType.STRING)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "no credentials", value = """
                                                {"type": "urn:agent-runtime:problem:unauthorized", "title": "Unauthorized",
                                                 "status": 401, "detail": "credentials are missing: send Authorization: Bearer <API key> or X-API-Key: <API key>"}
                                                """))),
                        @APIResponse(name = "NotFound", responseCode = "404",
                                description = "No such run (unknown, expired, another tenant's, or a malformed id)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "unknown", value = """
                                                {"type": "urn:agent-runtime:problem:not-found", "title": "Not found",
                                                 "status": 404, "detail": "Run 0b6c… not found"}
                                                """))),
                        @APIResponse(name = "PayloadTooLarge", responseCode = "413", description = "The body is over 1 MiB",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "too large", value = """
                                                {"type": "urn:agent-runtime:problem:payload-too-large",
                                                 "title": "Payload too large", "status": 413,
                                                 "detail": "the request body is larger than the limit of 1048576 bytes"}
                                                """))),
                        @APIResponse(name = "UnsupportedMediaType", responseCode = "415",
                                description = "The body is not JSON (a Content-Type other than application/json or …+json)",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "form", value = """
                                                {"type": "urn:agent-runtime:problem:unsupported-media-type",
                                                 "title": "Unsupported media type", "status": 415,
                                                 "detail": "Content-Type: the body must be JSON (application/json), not text/plain"}
                                                """))),
                        @APIResponse(name = "Unprocessable", responseCode = "422",
                                description = "The body is JSON but not a valid request (a prompt missing, not a "
                                        + "string, blank or too long; an input_hash missing or malformed), the prompt "
                                        + "cannot be planned, or an Idempotency-Key is reused with another prompt",
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "unplannable", value = """
                                                {"type": "urn:agent-runtime:problem:planning-failed",
                                                 "title": "The prompt cannot be planned", "status": 422,
                                                 "detail": "I could not map \\"sing\\" to a tool. I can calculate …"}
                                                """))),
                        @APIResponse(name = "TooManyRequests", responseCode = "429",
                                description = "The tenant started its allowed runs this minute, or has its allowed "
                                        + "number of unfinished runs; retry after Retry-After",
                                headers = @Header(name = "Retry-After", description = "Seconds to wait",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "rate", value = """
                                                {"type": "urn:agent-runtime:problem:rate-limited", "title": "Too many runs",
                                                 "status": 429, "detail": "at most 120 runs per minute may be started; try again in 12 s"}
                                                """))),
                        @APIResponse(name = "Unavailable", responseCode = "503",
                                description = "The state store is unreachable or full, or too many runs are "
                                        + "unfinished; retry after Retry-After",
                                headers = @Header(name = "Retry-After", description = "Seconds to wait",
                                        schema = @Schema(type = SchemaType.INTEGER)),
                                content = @Content(mediaType = Problem.MEDIA_TYPE,
                                        schema = @Schema(implementation = Problem.class),
                                        examples = @ExampleObject(name = "store", value = """
                                                {"type": "urn:agent-runtime:problem:store-unavailable",
                                                 "title": "State store unavailable", "status": 503,
                                                 "detail": "The state store is unavailable, try again shortly"}
                                                """)))
                }))
public class ApiDocumentation extends Application {

    /** The security scheme of the {@code X-API-Key} header. */
    public static final String API_KEY = "ApiKey";
    /** The security scheme of {@code Authorization: Bearer}: an API key or a JWT. */
    public static final String BEARER = "Bearer";
    /** The example of a run the document's answers refer to. */
    static final String RUN_EXAMPLE = "CompletedRun";

    /** A run as the API answers it (OpenApiTest checks it against the Run schema). */
    static final String RUN_EXAMPLE_VALUE = """
            {"run_id": "6f1c1b9e-2b0e-4a8e-9f4e-1b2c3d4e5f60",
             "prompt": "calculate 100 / 4 and add the result as a todo", "status": "completed", "planner": "rules",
             "fallback_reason": null,
             "plan": {"steps": [
               {"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "100 / 4"},
                "reasoning": "Calculates 100 / 4", "depends_on": []},
               {"step_number": 2, "tool_name": "todo_store", "tool_input": {"action": "add", "text": "{{steps.1.output}}"},
                "reasoning": "Adds the result as a todo", "depends_on": [1]}]},
             "execution_log": [
               {"step_number": 1, "tool_name": "calculator", "tool_input": {"expression": "100 / 4"},
                "status": "completed", "success": true, "output": 25, "error": null, "attempts": 1,
                "started_at": "2026-12-06T10:00:00.012Z", "finished_at": "2026-12-06T10:00:00.013Z", "duration_ms": 0.4,
                "reused": false},
               {"step_number": 2, "tool_name": "todo_store", "tool_input": {"action": "add", "text": "25"},
                "status": "completed", "success": true,
                "output": {"todo": {"id": "a1b2c3d4", "text": "25", "completed": false,
                                    "created_at": "2026-12-06T10:00:00.014Z", "completed_at": null}},
                "error": null, "attempts": 1, "started_at": "2026-12-06T10:00:00.013Z",
                "finished_at": "2026-12-06T10:00:00.014Z", "duration_ms": 0.9, "reused": false}],
             "result": {"todo": {"id": "a1b2c3d4", "text": "25", "completed": false,
                                 "created_at": "2026-12-06T10:00:00.014Z", "completed_at": null}},
             "error": null, "usage": {"input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0},
             "created_at": "2026-12-06T10:00:00.001Z", "started_at": "2026-12-06T10:00:00.010Z",
             "completed_at": "2026-12-06T10:00:00.015Z", "tenant": "default", "plan_cached": false,
             "plan_cache_key": null, "approval": null, "forked_from": null}
            """;
}
