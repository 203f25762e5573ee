package dev.agentruntime.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.CancelRun;
import dev.agentruntime.execution.CreateRun;
import dev.agentruntime.execution.DecideApproval;
import dev.agentruntime.execution.ForkRun;
import dev.agentruntime.execution.RunEvents;
import dev.agentruntime.execution.RunService;
import dev.agentruntime.observability.AuditLog;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.observability.RedactedFailure;
import dev.agentruntime.security.Caller;
import dev.agentruntime.security.Callers;
import dev.agentruntime.tools.todo.TodoConfig;
import dev.agentruntime.tools.todo.TodoTool;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The runtime as an MCP server ({@code /mcp}, Streamable HTTP): its runs as tools, with the HTTP API's tenants,
 * quotas, idempotency, approvals and audit, because every tool goes through the same services. Results carry the
 * same JSON as the HTTP API as structured content, with a one-line summary as text; errors are tool errors with
 * the HTTP API's {@code detail} (and its problem as structured content), never a stack trace.
 *
 * <p>Cancelling a {@code run_prompt} call (MCP {@code notifications/cancelled}) stops the waiting, not the run: a
 * client that lost interest in the answer has not said the work should stop, and the run may be shared (an
 * idempotency key). {@code cancel_run} stops it.
 */
@Singleton
public class McpRunTools {

    private static final Logger LOG = Logger.getLogger(McpRunTools.class);
    private static final int MAX_WAIT_SECONDS = 30;
    /** How often a waiting run_prompt looks whether its caller cancelled. */
    private static final Duration CANCEL_POLL = Duration.ofMillis(100);
    private static final String CLIENT = "mcp";

    private final RunService runs;
    private final RunEvents events;
    private final CreateRun createRun;
    private final CancelRun cancelRun;
    private final DecideApproval decideApproval;
    private final ForkRun forkRun;
    private final TodoTool todos;
    private final TodoConfig todoConfig;
    private final Callers callers;
    private final AuditLog audit;
    private final ObjectMapper mapper;

    public McpRunTools(RunService runs, RunEvents events, CreateRun createRun, CancelRun cancelRun,
                       DecideApproval decideApproval, ForkRun forkRun, TodoTool todos, TodoConfig todoConfig,
                       Callers callers, AuditLog audit, ObjectMapper mapper) {
        this.runs = runs;
        this.events = events;
        this.createRun = createRun;
        this.cancelRun = cancelRun;
        this.decideApproval = decideApproval;
        this.forkRun = forkRun;
        this.todos = todos;
        this.todoConfig = todoConfig;
        this.callers = callers;
        this.audit = audit;
        this.mapper = mapper;
    }

    @Tool(name = "run_prompt", description = "Plan a natural-language prompt into tool calls and run it, exactly "
            + "like POST /api/v1/runs. Returns the run; with wait_seconds, waits (at most 30 s) until it ends or "
            + "pauses for approval, sending a progress notification per step.")
    Uni<ToolResponse> runPrompt(
            @ToolArg(description = "What to do, 1 to 4,000 characters, e.g. 'calculate 100 / 4 and add the "
                    + "result as a todo'") String prompt,
            @ToolArg(name = "idempotency_key", description = "The same key and prompt return the original run "
                    + "instead of starting another", required = false) String idempotencyKey,
            @ToolArg(name = "wait_seconds", description = "Seconds to wait for the run to end (0 to 30; default 0)",
                    required = false) Integer waitSeconds,
            Progress progress, Cancellation cancellation) {
        int wait = waitSeconds == null ? 0 : waitSeconds;
        return served("create", null, caller -> createRun.create(caller, Uni.createFrom().item(() -> {
            String text = CreateRunRequest.validPrompt(prompt);
            Optional<String> key = RunResource.idempotencyKey(idempotencyKey);
            if (wait < 0 || wait > MAX_WAIT_SECONDS) {
                throw dev.agentruntime.run.InvalidRequestException.badRequest(
                        "wait_seconds: must be an integer from 0 to " + MAX_WAIT_SECONDS + ", got " + wait);
            }
            return new CreateRun.Request(text, Duration.ZERO, key);
        }), submission -> (wait == 0 ? Uni.createFrom().item(submission.run())
                : follow(caller.tenant(), submission.run(), Duration.ofSeconds(wait), progress, cancellation))
                .map(this::runResponse)));
    }

    @Tool(name = "get_run", description = "A run by id: its status, plan, steps, result, and what it waits for.",
            annotations = @Tool.Annotations(readOnlyHint = true, idempotentHint = true))
    Uni<ToolResponse> getRun(@ToolArg(name = "run_id", description = "The run's id") String runId) {
        return guarded("get", runId, caller -> runs.get(caller.tenant(), runId).map(this::runResponse));
    }

    @Tool(name = "list_runs", description = "The caller's runs, newest first; status=awaiting_approval lists only "
            + "the runs waiting for a decision.", annotations = @Tool.Annotations(readOnlyHint = true))
    Uni<ToolResponse> listRuns(
            @ToolArg(description = "Runs per page, 1 to 100 (default 10)", required = false) Integer limit,
            @ToolArg(description = "Runs to skip (default 0)", required = false) Integer offset,
            @ToolArg(description = "Only awaiting_approval is supported", required = false) String status) {
        return guarded("list", null, caller -> {
            int size = QueryParams.intParam("limit", limit == null ? null : limit.toString(), 10, 1,
                    QueryParams.MAX_LIMIT);
            int from = QueryParams.intParam("offset", offset == null ? null : offset.toString(), 0, 0,
                    Integer.MAX_VALUE);
            String tenant = caller.tenant();
            Uni<List<Run>> page = RunResource.awaitingFilter(status) ? runs.awaitingApproval(tenant, size, from)
                    : runs.list(tenant, size, from);
            return page.map(list -> response(list.size() + " run(s)", mapper.createObjectNode()
                    .set("runs", mapper.valueToTree(list))));
        });
    }

    @Tool(name = "cancel_run", description = "Cancel a run: a pending one never starts, a running one stops at its "
            + "current step, one awaiting approval ends at once.", annotations = @Tool.Annotations(
            destructiveHint = true, idempotentHint = true))
    Uni<ToolResponse> cancelRun(@ToolArg(name = "run_id", description = "The run's id") String runId) {
        return served("cancel", runId, caller -> cancelRun.cancel(caller, runId).map(this::runResponse));
    }

    @Tool(name = "list_todos", description = "The caller's todos, oldest first, with the counts of all of them.",
            annotations = @Tool.Annotations(readOnlyHint = true))
    Uni<ToolResponse> listTodos(
            @ToolArg(description = "Todos per page, 1 to 100 (default 20)", required = false) Integer limit,
            @ToolArg(description = "Todos to skip (default 0)", required = false) Integer offset) {
        return guarded("list_todos", null, caller -> todos.list(caller.tenant(),
                        QueryParams.intParam("limit", limit == null ? null : limit.toString(),
                                todoConfig.defaultPageSize(), 1, QueryParams.MAX_LIMIT),
                        QueryParams.intParam("offset", offset == null ? null : offset.toString(), 0, 0,
                                Integer.MAX_VALUE))
                .map(page -> response(page.path("total_count").asInt() + " todo(s)", page)));
    }

    @Tool(name = "approve_step", description = "Approve the step a run is waiting on: it runs with exactly the input "
            + "of the request whose input_hash you quote (get_run shows it under approval).")
    Uni<ToolResponse> approveStep(@ToolArg(name = "run_id", description = "The run's id") String runId,
                                  @ToolArg(name = "input_hash", description = "The run's approval.input_hash")
                                  String inputHash,
                                  @ToolArg(description = "Why (optional)", required = false) String comment) {
        return decide(DecideApproval.Verdict.APPROVE, runId, inputHash, comment);
    }

    @Tool(name = "reject_step", description = "Reject the step a run is waiting on: it is skipped with the comment "
            + "and the run ends rejected. Quote the request's input_hash.", annotations = @Tool.Annotations(
            destructiveHint = true))
    Uni<ToolResponse> rejectStep(@ToolArg(name = "run_id", description = "The run's id") String runId,
                                 @ToolArg(name = "input_hash", description = "The run's approval.input_hash")
                                 String inputHash,
                                 @ToolArg(description = "Why (optional)", required = false) String comment) {
        return decide(DecideApproval.Verdict.REJECT, runId, inputHash, comment);
    }

    @Tool(name = "fork_run", description = "Fork an ended run, exactly like POST /api/v1/runs/{run_id}/fork: a new "
            + "run with the same plan, where the steps before from_step that completed keep the source's outputs "
            + "(reused, not run again) and from_step and the steps after it run anew, from_step with tool_input "
            + "when given. Without from_step: from the first failed, skipped or interrupted step. The source run is "
            + "not changed. Returns the new run; follow it with get_run.")
    Uni<ToolResponse> forkRun(@ToolArg(name = "run_id", description = "The ended run to fork") String runId,
                              @ToolArg(name = "from_step", description = "The step to run anew (default: the first "
                                      + "failed, skipped or interrupted one)", required = false) Integer fromStep,
                              @ToolArg(name = "tool_input", description = "That step's input instead of the planned "
                                      + "one, checked against the tool's schema; {{steps.K.output}} references read "
                                      + "the reused outputs", required = false) Map<String, Object> toolInput,
                              @ToolArg(description = "Why (kept in the fork's forked_from)", required = false)
                              String reason,
                              @ToolArg(name = "idempotency_key", description = "The same key and request return the "
                                      + "original fork instead of making another", required = false)
                              String idempotencyKey) {
        return served("fork", runId, caller -> forkRun.fork(caller, runId, Uni.createFrom().item(() ->
                        new ForkRun.Request(new ForkRequest(fromStep, toolInput == null ? null
                                : mapper.valueToTree(toolInput), reason), RunResource.idempotencyKey(idempotencyKey))),
                submission -> Uni.createFrom().item(runResponse(submission.run()))));
    }

    private Uni<ToolResponse> decide(DecideApproval.Verdict verdict, String runId, String inputHash,
                                     String comment) {
        return served(verdict.action(), runId, caller -> decideApproval.decide(
                caller, runId, verdict, Uni.createFrom().item(() -> DecisionRequest.of(inputHash, comment).decision()))
                .map(this::runResponse));
    }

    /**
     * Waits until the run ends or pauses for approval, the wait is over, or the caller cancels this call; sends a
     * progress notification per finished step when the caller asked for progress. Answers the run as stored then.
     */
    private Uni<Run> follow(String tenant, Run run, Duration wait, Progress progress, Cancellation cancellation) {
        int total = run.plan().steps().size();
        int[] done = {0};
        // Each notification is sent before the next event is looked at: MCP wants progress to only increase.
        Uni<Void> settled = runs.events(run, null)
                .call(event -> {
                    if (event.type() != EventType.STEP_COMPLETED && event.type() != EventType.STEP_FAILED) {
                        return Uni.createFrom().voidItem();
                    }
                    done[0]++;
                    return progress.token().isEmpty() ? Uni.createFrom().voidItem()
                            : progress.notificationBuilder().setProgress(done[0]).setTotal(total)
                            .setMessage(stepMessage(event)).build().send();
                })
                .select().where(event -> event.isTerminal() || event.type() == EventType.APPROVAL_REQUESTED)
                .toUni().replaceWithVoid();
        Uni<Void> cancelled = Multi.createFrom().ticks().every(CANCEL_POLL)
                .select().where(tick -> cancellation.check().isRequested())
                .toUni().invoke(() -> LOG.infof("run_prompt stopped waiting for run %s: the MCP client cancelled "
                        + "the call; the run goes on", run.runId()))
                .replaceWithVoid();
        return Uni.join().first(settled, cancelled).toTerminate()
                .ifNoItem().after(wait).recoverWithItem((Void) null)
                .flatMap(ignored -> runs.get(tenant, run.runId()));
    }

    private String stepMessage(RunEvent event) {
        StepRecord step = ((RunEventBody.StepEvent) events.body(event)).step();
        return "step " + step.stepNumber() + " (" + step.toolName() + ") " + step.status().wireName();
    }

    private ToolResponse runResponse(Run run) {
        String summary = "run " + run.runId() + " is " + run.status().wireName()
                + (run.approval() != null && run.approval().isPending() ? ": step " + run.approval().stepNumber()
                + " (" + run.approval().toolName() + ") awaits approval, input_hash " + run.approval().inputHash()
                : "")
                + (run.error() != null ? ": " + run.error() : "")
                + (run.result() != null ? "; result " + JsonMapping.write(mapper, run.result()) : "")
                + " (" + stepsDone(run) + "/" + run.executionLog().size() + " steps done)";
        return response(summary, mapper.valueToTree(run));
    }

    private static long stepsDone(Run run) {
        return run.executionLog().stream().filter(StepRecord::isDone).count();
    }

    private ToolResponse response(String summary, JsonNode structured) {
        return new ToolResponse(false, List.of(new TextContent(summary)),
                new JsonObject(JsonMapping.write(mapper, structured)), null);
    }

    /** {@link #answer}, the face auditing a refusal: reads are no use case that audits. */
    private Uni<ToolResponse> guarded(String action, String runId, Function<Caller, Uni<ToolResponse>> body) {
        return answer(action, runId, false, body);
    }

    /** {@link #answer} for a use case, which audits its outcome: the face audits only a caller it cannot tell. */
    private Uni<ToolResponse> served(String action, String runId, Function<Caller, Uni<ToolResponse>> body) {
        return answer(action, runId, true, body);
    }

    /**
     * Runs a tool body for the caller, turning the runtime's errors into tool errors with the HTTP API's detail,
     * audited. The caller is read without blocking: the tool runs on the event loop. An unexpected failure is logged
     * without its messages, which may quote the prompt.
     */
    private Uni<ToolResponse> answer(String action, String runId, boolean auditedByUseCase,
                                     Function<Caller, Uni<ToolResponse>> body) {
        Caller[] caller = new Caller[1];
        return callers.required().map(known -> known.from(CLIENT)).invoke(known -> caller[0] = known)
                .flatMap(body::apply)
                .onFailure().recoverWithItem(failure -> {
                    if (caller[0] == null || !auditedByUseCase) {
                        audit.refused(caller[0] == null ? null : caller[0].tenant(), runId, action, failure, CLIENT);
                    }
                    if (failure instanceof AgentException known) {
                        Problem problem = ProblemMapper.problem(known);
                        return new ToolResponse(true, List.of(new TextContent(problem.detail())),
                                new JsonObject(JsonMapping.write(mapper, problem)), null);
                    }
                    LOG.errorf(RedactedFailure.of(failure), "MCP tool %s failed unexpectedly", action);
                    return ToolResponse.error("the tool failed unexpectedly (" + failure.getClass().getSimpleName()
                            + ")");
                });
    }
}
