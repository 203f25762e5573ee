package dev.agentruntime.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.Optional;

/**
 * A capability the planner may call. Every {@code Tool} bean is registered by {@link ToolRegistry}, offered to the
 * LLM planner through its {@link ToolSpec}, and given input that already passed the spec's schema.
 */
public interface Tool {

    /** The {@link #source} of the tools compiled into the runtime. */
    String BUILT_IN = "built-in";

    /** Name, description and input schema. */
    ToolSpec spec();

    /** Unique, stable name the plan refers to, such as {@code calculator}. */
    default String name() {
        return spec().name();
    }

    /** One or two sentences for the planner: what the tool does and when to use it. */
    default String description() {
        return spec().description();
    }

    /** JSON Schema (2020-12) of the input object. */
    default JsonNode inputSchema() {
        return spec().inputSchema();
    }

    /** Where the tool comes from, for the health listing: {@code built-in}, or an MCP server's name. */
    default String source() {
        return BUILT_IN;
    }

    /** Whether {@code tenant} may see, plan with and run this tool. */
    default boolean availableTo(String tenant) {
        return true;
    }

    /**
     * How long a call with this input is expected to take when that is part of what it was asked to do (a wait of
     * 35 seconds takes 35 seconds): the step's timeout then covers it on top of the usual allowance, and running
     * out of that time is not retried. Empty for tools whose calls should be quick.
     */
    default Optional<Duration> expectedDuration(JsonNode input) {
        return Optional.empty();
    }

    /**
     * Whether calling again after a failure that may have had an effect is safe: only then is a call retried after
     * it timed out or lost its connection, or run again when a crashed run resumes and its journal shows the step
     * had started. Built-in tools key their writes by step ({@link ToolContext#stableId}), so they are.
     */
    default boolean idempotent() {
        return true;
    }

    /**
     * Whether a call takes about as long as one write to the store (it computes in memory, or makes that one write).
     * When the tool is also {@link #idempotent}, its step's start is not written before the call, and the record of
     * an idempotent step before it waits for it: both ride the write after it (ADR 0037), and a crash in between
     * replays the two steps. False unless the tool says so: an external call is never quick.
     */
    default boolean quick() {
        return false;
    }

    /**
     * Whether a cancellation of the run may stop a call in flight. A tool whose call is quick and whose effect is one
     * write that cannot be taken back (a todo stored) answers false: a cancel then waits for the call to return, so
     * the run records what it did. An interrupted call is recorded {@code interrupted}: it may have had its effect.
     */
    default boolean interruptible() {
        return true;
    }

    /**
     * Whether the tool itself asks that a person approve each call before it runs (an MCP server's
     * {@code approvalTools}); {@code AGENT_APPROVAL_TOOLS} can ask it for any tool.
     */
    default boolean requiresApproval() {
        return false;
    }

    /**
     * The time one call may take when the tool enforces it itself (cancelling the work when it runs out); the
     * step's allowance is then this on top of the usual one, as a backstop. Empty: the step timeout applies.
     */
    default Optional<Duration> timeLimit() {
        return Optional.empty();
    }

    /**
     * Runs the tool. Fails with a {@link dev.agentruntime.run.ToolException}: a
     * {@link dev.agentruntime.run.TransientToolException} when another attempt may succeed.
     */
    Uni<JsonNode> execute(JsonNode input, ToolContext context);
}
