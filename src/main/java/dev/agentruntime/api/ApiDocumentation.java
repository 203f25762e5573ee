package dev.agentruntime.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** The shared parts of the OpenAPI document: the error answers, each a problem JSON with an example. */
@OpenAPIDefinition(
        info = @Info(title = "Agent Runtime API", version = "1"),
        components = @Components(responses = {
                @APIResponse(name = "BadRequest", responseCode = "400",
                        description = "The body is not JSON, or a query parameter or header is malformed",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "limit", value = """
                                        {"type": "urn:agent-runtime:problem:bad-request", "title": "Bad request",
                                         "status": 400, "detail": "limit: must be an integer from 1 to 100, got 0"}
                                        """))),
                @APIResponse(name = "Unauthorized", responseCode = "401",
                        description = "Credentials missing or not valid (when AGENT_AUTH is api-key or jwt)",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = "TooManyRequests", responseCode = "429",
                        description = "The tenant started its allowed runs this minute; retry after Retry-After",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = "NotFound", responseCode = "404",
                        description = "No such run (unknown, expired or malformed id)",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "unknown", value = """
                                        {"type": "urn:agent-runtime:problem:not-found", "title": "Not found",
                                         "status": 404, "detail": "Run 0b6c… not found"}
                                        """))),
                @APIResponse(name = "PayloadTooLarge", responseCode = "413", description = "The body is over 1 MiB",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = "Unprocessable", responseCode = "422",
                        description = "The prompt is missing, not a string, blank or too long; it cannot be "
                                + "planned; or an Idempotency-Key is reused with another prompt",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class),
                                examples = @ExampleObject(name = "unplannable", value = """
                                        {"type": "urn:agent-runtime:problem:planning-failed",
                                         "title": "The prompt cannot be planned", "status": 422,
                                         "detail": "I could not map \\"sing\\" to a tool. I can calculate …"}
                                        """))),
                @APIResponse(name = "Unavailable", responseCode = "503",
                        description = "The state store is unreachable or the queue is full; retry after Retry-After",
                        content = @Content(mediaType = Problem.MEDIA_TYPE,
                                schema = @Schema(implementation = Problem.class)))
        }))
public class ApiDocumentation extends Application {
}
