package dev.agentruntime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.CancelRun;
import dev.agentruntime.execution.CreateRun;
import dev.agentruntime.execution.DecideApproval;
import dev.agentruntime.execution.ForkRun;
import dev.agentruntime.execution.RunApprovals;
import dev.agentruntime.execution.RunService;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.security.RequestTenant;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.InvalidRequestException;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.security.TenantScoped;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.Consumes;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Runs: create one from a prompt, read, list, follow its events, approve or reject a paused step, cancel. */
@Path("/api/v1/runs")
@TenantScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Runs", description = "Plan a prompt into tool calls and execute them")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@SecurityRequirement(name = ApiDocumentation.BEARER)
public class RunResource {

    static final String RUN_ID = "The run's id, as run_id and Location give it";

    /** 1–128 visible ASCII characters, as the contract says. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,128}");

    private final RunService runs;
    private final CreateRun createRun;
    private final CancelRun cancelRun;
    private final DecideApproval decideApproval;
    private final ForkRun forkRun;
    private final RequestTenant tenant;
    private final ObjectMapper mapper;
    private final ApiConfig api;
    private final BodyLimit bodies;

    public RunResource(RunService runs, CreateRun createRun, CancelRun cancelRun, DecideApproval decideApproval,
                       ForkRun forkRun, RequestTenant tenant, ObjectMapper mapper, ApiConfig api, BodyLimit bodies) {
        this.forkRun = forkRun;
        this.bodies = bodies;
        this.runs = runs;
        this.createRun = createRun;
        this.cancelRun = cancelRun;
        this.decideApproval = decideApproval;
        this.tenant = tenant;
        this.mapper = mapper;
        this.api = api;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "createRun", summary = "Plan and start a run",
            description = "Plans the prompt (LLM or rules), stores the run and queues it; execution goes on after "
                    + "the answer. With Prefer: wait=N (at most 30) the answer comes once the run has ended or N "
                    + "seconds have passed. With Idempotency-Key the same key and prompt return the original run.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CreateRunRequest.class),
            examples = @ExampleObject(name = "two steps",
                    value = "{\"prompt\": \"calculate 100 / 4 and add the result as a todo\"}")))
    @APIResponse(responseCode = "201", description = "Planned and queued (with Prefer: wait, ended or paused); "
            + "Location names the run",
            headers = {@Header(name = "Location", description = "/api/v1/runs/{run_id}",
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Preference-Applied", description = "wait=N when Prefer: wait was honoured",
                            schema = @Schema(type = SchemaType.STRING))},
            content = @Content(schema = @Schema(implementation = Run.class),
                    examples = @ExampleObject(name = "completed", ref = ApiDocumentation.RUN_EXAMPLE)))
    @APIResponse(responseCode = "200", description = "Replayed: the run this Idempotency-Key created",
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "409", description = "A run with this Idempotency-Key is still being created; retry "
            + "after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "being created", value = """
                            {"type": "urn:agent-runtime:problem:conflict", "title": "Conflict", "status": 409,
                             "detail": "a run with Idempotency-Key 'order-42' is still being created; retry shortly"}
                            """)))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "Prefer", in = ParameterIn.HEADER, example = "wait=5", description = "wait=N (seconds, at "
            + "most 30): answer once the run has ended or paused for approval, or N seconds have passed")
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1-128 visible ASCII characters: "
            + "the same key with the same prompt returns the original run (200)",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,128}$"))
    @Parameter(name = "Content-Type", in = ParameterIn.HEADER, hidden = true)
    public Uni<RestResponse<Run>> create(@HeaderParam("Prefer") String prefer,
                                         @HeaderParam("Idempotency-Key") String idempotencyKey,
                                         @HeaderParam("Content-Type") String contentType,
                                         @Context HttpServerRequest http) {
        Duration wait = PreferWait.parse(prefer);
        Uni<CreateRun.Request> request = bodies.read(http).map(body -> {
            requireJson(contentType);
            String prompt = CreateRunRequest.parse(body, mapper).prompt();
            return new CreateRun.Request(prompt, wait, idempotencyKey(idempotencyKey));
        });
        return createRun.create(tenant.caller(AuditLog.clientOf(http)), request,
                submission -> Uni.createFrom().item(created(submission, wait)));
    }

    private static RestResponse<Run> created(RunService.Submission submission, Duration wait) {
        Run run = submission.run();
        RestResponse.ResponseBuilder<Run> response = submission.replayed()
                ? RestResponse.ResponseBuilder.ok(run)
                : RestResponse.ResponseBuilder.<Run>created(URI.create("/api/v1/runs/" + run.runId())).entity(run);
        if (!wait.isZero()) {
            response.header("Preference-Applied", "wait=" + wait.toSeconds());
        }
        return response.build();
    }

    @GET
    @Path("/{run_id}")
    @Operation(operationId = "getRun", summary = "Read a run",
            description = "The run with its plan, execution log and result.")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(schema = @Schema(implementation = Run.class),
                    examples = @ExampleObject(name = "completed", ref = ApiDocumentation.RUN_EXAMPLE)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    public Uni<Run> get(@PathParam("run_id") String runId) {
        return runs.get(tenant.get(), runId);
    }

    @GET
    @Operation(operationId = "listRuns", summary = "List runs", description = "The runs still stored, newest first. "
            + "A page holds at most limit runs and at most agent.api.max-list-bytes (1 MiB) of them; when it holds fewer than were asked "
            + "for because of that bound, a Link header with rel=\"next\" names the rest. With "
            + "status=awaiting_approval: only the runs waiting for a decision, the most recent request first.")
    @APIResponse(responseCode = "200", description = "Runs, newest first",
            headers = @Header(name = "Link", description = "<…offset=N>; rel=\"next\" when the byte bound cut the page",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = Run.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Runs in a page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "10"))
    @Parameter(name = "offset", in = ParameterIn.QUERY, description = "Runs to skip",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "Only runs waiting for a decision, the most "
            + "recent request first", schema = @Schema(type = SchemaType.STRING, enumeration = "awaiting_approval"))
    public Uni<RestResponse<String>> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset,
                                          @QueryParam("status") String status) {
        int pageSize = QueryParams.intParam("limit", limit, 10, 1, QueryParams.MAX_LIMIT);
        int from = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        boolean awaiting = awaitingFilter(status);
        return (awaiting ? runs.awaitingApproval(tenant.get(), pageSize, from) : runs.list(tenant.get(), pageSize, from))
                .map(page -> page(page, "/api/v1/runs?limit=" + pageSize, from,
                        awaiting ? "&status=awaiting_approval" : ""));
    }

    /**
     * A page of runs, serialised here, once, to keep it under its byte bound (a run may be large): when it holds
     * fewer than were read because of that bound, a Link header names the rest ({@code first} plus the next offset
     * plus {@code last}).
     */
    private RestResponse<String> page(List<Run> page, String first, int from, String last) {
        StringBuilder json = new StringBuilder("[");
        long bytes = 2;
        int included = 0;
        for (Run run : page) {
            String one = JsonMapping.write(mapper, run);
            long size = one.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
            if (included > 0 && bytes + size > api.maxListBytes()) {
                break;
            }
            json.append(included > 0 ? "," : "").append(one);
            bytes += size;
            included++;
        }
        RestResponse.ResponseBuilder<String> response = RestResponse.ResponseBuilder
                .ok(json.append(']').toString(), MediaType.APPLICATION_JSON);
        if (included < page.size()) {
            response.header("Link", "<" + first + "&offset=" + (from + included) + last + ">; rel=\"next\"");
        }
        return response.build();
    }

    @POST
    @Path("/{run_id}/fork")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "forkRun", summary = "Fork an ended run from a step",
            description = "Creates a new run with the same plan. The steps before from_step that completed in the "
                    + "source keep its recorded outputs and are not executed again (reused: true): none of them "
                    + "needs from_step, since a step reads only earlier steps (depends_on, {{steps.K...}}); "
                    + "from_step and every step after it run anew, from_step with tool_input when given. Without "
                    + "from_step, the fork starts at the first failed, skipped or interrupted step. The source run "
                    + "is not changed; the "
                    + "fork says where it comes from (forked_from). Steps that need approval ask again. "
                    + "With Idempotency-Key the same key and body return the original fork.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ForkRequest.class),
            examples = {@ExampleObject(name = "retry from the failure", value = "{}"),
                    @ExampleObject(name = "another input", value = "{\"from_step\": 2, \"tool_input\": "
                            + "{\"expression\": \"100 / 5\"}, \"reason\": \"divide by 5 instead\"}")}))
    @APIResponse(responseCode = "201", description = "Forked and queued; Location names the new run",
            headers = @Header(name = "Location", description = "/api/v1/runs/{run_id}",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "200", description = "Replayed: the fork this Idempotency-Key created",
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "The run has not ended (pending, running or awaiting approval): "
            + "the problem carries it (run); or a fork with this Idempotency-Key is still being created",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", ref = "PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", description = "from_step is not a step of the plan (or none was given and "
            + "nothing failed), tool_input does not fit the tool's schema, the tool is gone, or an output to reuse "
            + "is no longer stored", content = @Content(mediaType = Problem.MEDIA_TYPE,
            schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    @Parameter(name = "Idempotency-Key", in = ParameterIn.HEADER, description = "1-128 visible ASCII characters: "
            + "the same key with the same run and body returns the original fork (200)",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,128}$"))
    @Parameter(name = "Content-Type", in = ParameterIn.HEADER, hidden = true)
    public Uni<RestResponse<Run>> fork(@PathParam("run_id") String runId,
                                       @HeaderParam("Idempotency-Key") String idempotencyKey,
                                       @HeaderParam("Content-Type") String contentType,
                                       @Context HttpServerRequest http) {
        Uni<ForkRun.Request> request = bodies.read(http).map(body -> {
            requireJson(contentType);
            return new ForkRun.Request(ForkRunRequest.parse(body, mapper), idempotencyKey(idempotencyKey));
        });
        return forkRun.fork(tenant.caller(AuditLog.clientOf(http)), runId, request,
                submission -> Uni.createFrom().item(created(submission, Duration.ZERO)));
    }

    @GET
    @Path("/{run_id}/forks")
    @Operation(operationId = "listForks", summary = "List a run's forks",
            description = "The runs forked from this one (not their own forks), newest first, paged like the list "
                    + "of runs.")
    @APIResponse(responseCode = "200", description = "Forks, newest first",
            headers = @Header(name = "Link", description = "<…offset=N>; rel=\"next\" when the byte bound cut the "
                    + "page", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = Run.class, type = SchemaType.ARRAY)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    @Parameter(name = "limit", in = ParameterIn.QUERY, description = "Runs in a page",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "10"))
    @Parameter(name = "offset", in = ParameterIn.QUERY, description = "Runs to skip",
            schema = @Schema(type = SchemaType.INTEGER, minimum = "0", defaultValue = "0"))
    public Uni<RestResponse<String>> forks(@PathParam("run_id") String runId, @QueryParam("limit") String limit,
                                           @QueryParam("offset") String offset) {
        int pageSize = QueryParams.intParam("limit", limit, 10, 1, QueryParams.MAX_LIMIT);
        int from = QueryParams.intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        return runs.forks(tenant.get(), runId, pageSize, from)
                .map(page -> page(page, "/api/v1/runs/" + runId + "/forks?limit=" + pageSize, from, ""));
    }

    @POST
    @Path("/{run_id}/approve")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "approveStep", summary = "Approve the pending step",
            description = "The step the run is waiting on runs with exactly the input of the request, whose "
                    + "input_hash the body must quote; then the run goes on (a later step may ask again).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    @APIResponse(responseCode = "200", description = "Approved: the run is running again",
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "The run is not awaiting approval (already decided, cancelled, "
            + "ended), or input_hash is not the pending request's: the problem carries the run as it is",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    @Parameter(name = "Content-Type", in = ParameterIn.HEADER, hidden = true)
    public Uni<Run> approve(@PathParam("run_id") String runId, @HeaderParam("Content-Type") String contentType,
                            @Context HttpServerRequest http) {
        return decide(DecideApproval.Verdict.APPROVE, runId, contentType, http);
    }

    @POST
    @Path("/{run_id}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "rejectStep", summary = "Reject the pending step",
            description = "The step the run is waiting on is skipped with the comment and the run ends rejected. "
                    + "The body quotes the request's input_hash.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    @APIResponse(responseCode = "200", description = "Rejected: the run has ended",
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "The run is not awaiting approval, or input_hash is not the "
            + "pending request's",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", ref = "UnsupportedMediaType")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    @Parameter(name = "Content-Type", in = ParameterIn.HEADER, hidden = true)
    public Uni<Run> reject(@PathParam("run_id") String runId, @HeaderParam("Content-Type") String contentType,
                           @Context HttpServerRequest http) {
        return decide(DecideApproval.Verdict.REJECT, runId, contentType, http);
    }

    private Uni<Run> decide(DecideApproval.Verdict verdict, String runId, String contentType,
                            HttpServerRequest http) {
        Uni<RunApprovals.Decision> decision = bodies.read(http).map(body -> {
            requireJson(contentType);
            return DecisionRequest.parse(body, mapper).decision();
        });
        return decideApproval.decide(tenant.caller(AuditLog.clientOf(http)), runId, verdict, decision);
    }

    /** {@code status} may only be {@code awaiting_approval}; anything else is refused rather than ignored. */
    static boolean awaitingFilter(String status) {
        if (status == null || status.isEmpty()) {
            return false;
        }
        if (!status.equals(RunStatus.AWAITING_APPROVAL.wireName())) {
            throw InvalidRequestException.badRequest("status: only awaiting_approval can be listed by status");
        }
        return true;
    }

    @POST
    @Path("/{run_id}/cancel")
    @Operation(operationId = "cancelRun", summary = "Cancel a run",
            description = "A pending run never starts; a running one stops at its current step and ends cancelled; "
                    + "one awaiting approval ends cancelled at once, and its request can no longer be decided.")
    @APIResponse(responseCode = "202", description = "Cancelled, or asked to stop",
            content = @Content(schema = @Schema(implementation = Run.class)))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "The run has already ended: the problem carries it (run)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "ended", value = """
                            {"type": "urn:agent-runtime:problem:conflict", "title": "Conflict", "status": 409,
                             "detail": "run 6f1c1b9e-2b0e-4a8e-9f4e-1b2c3d4e5f60 already ended as completed"}
                            """)))
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    public Uni<RestResponse<Run>> cancel(@PathParam("run_id") String runId, @Context HttpServerRequest http) {
        return cancelRun.cancel(tenant.caller(AuditLog.clientOf(http)), runId)
                .map(run -> RestResponse.status(RestResponse.Status.ACCEPTED, run));
    }

    /**
     * Every event of the run from its start, or after {@code Last-Event-ID}, then new ones live; the stream ends
     * after the terminal event. An unknown run is a 404 ({@link EventStreamGuard}).
     */
    @GET
    @RunMustExist
    @Path("/{run_id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "followRunEvents", summary = "Follow a run's progress (Server-Sent Events)",
            description = "run_forked (a fork's first event, then a step_completed with reused true per step it "
                    + "keeps), run_started, step_started, step_retrying, step_completed, step_failed, "
                    + "approval_requested, approval_granted, approval_rejected, then run_completed, run_failed, "
                    + "run_cancelled or run_rejected, each with an id; resume with Last-Event-ID.")
    @APIResponse(responseCode = "200", description = "The event stream: id, event (its type) and JSON data per event",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING),
                    examples = @ExampleObject(name = "start", value = """
                            id: 1733450000000-0
                            event: run_started
                            data: {"run_id":"0b6c…","status":"running",…}
                            """)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "Unavailable")
    @Parameter(name = "run_id", in = ParameterIn.PATH, description = RUN_ID)
    @Parameter(name = "Last-Event-ID", in = ParameterIn.HEADER, description = "Resume after this event id")
    public Multi<OutboundSseEvent> events(@PathParam("run_id") String runId,
                                          @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse,
                                          @Context ContainerRequestContext request) {
        // EventStreamGuard has checked the request (503, 404, 400) before any header was sent, and read the run.
        Run run = (Run) request.getProperty(EventStreamGuard.RUN);
        EventStreams.Permit permit = (EventStreams.Permit) request.getProperty(EventStreamGuard.PERMIT);
        return runs.events(run, EventStreamGuard.lastEventId(lastEventId)).map(event -> toSse(sse, event))
                .onTermination().invoke(permit::release);
    }

    private static OutboundSseEvent toSse(Sse sse, RunEvent event) {
        // No media type: Quarkus REST would send it as a "content-type:" field, which SSE does not have.
        return sse.newEventBuilder().id(event.id()).name(event.type().wireName())
                .data(String.class, event.data().toString()).build();
    }

    /**
     * JSON only, or no Content-Type at all. A text/plain or form POST is what a browser may send cross-site without
     * asking first (a CORS "simple request"): refusing it keeps another site from starting runs when auth is off.
     */
    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw InvalidRequestException.unsupportedMediaType("Content-Type: the body must be JSON "
                    + "(application/json), not " + type);
        }
    }

    static Optional<String> idempotencyKey(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        if (!IDEMPOTENCY_KEY.matcher(raw).matches()) {
            throw InvalidRequestException.badRequest(
                    "Idempotency-Key: must be 1 to 128 visible ASCII characters (no spaces)");
        }
        return Optional.of(raw);
    }

}
