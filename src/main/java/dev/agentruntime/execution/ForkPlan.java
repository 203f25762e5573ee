package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.planning.PlanReferences;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.ForkedFrom;
import dev.agentruntime.run.InvalidRequestException;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a fork of an ended run keeps and what it runs again (ADR 0033): the steps numbered before the fork's step that
 * completed in the source are reused as they were; the fork's step and every later step run anew. A step before it
 * never needs it: a plan's {@code depends_on} and {@code {{steps.K...}}} references name only earlier steps
 * ({@code PlanValidator}), so "before it" is "does not need it", and every step that needs it comes after it.
 * Refuses, as a 422, a fork that could not run: no such step, no failed step to retry, a tool that is gone, an input
 * its tool's schema refuses, an output to reuse that is no longer stored.
 */
@ApplicationScoped
public class ForkPlan {

    private final ToolRegistry tools;
    private final InputResolver resolver;

    public ForkPlan(ToolRegistry tools, InputResolver resolver) {
        this.tools = tools;
        this.resolver = resolver;
    }

    /** The fork of {@code source} (which has ended) that {@code request} asks for, pending, with id {@code forkId}. */
    public Run fork(Run source, ForkRequest request, UUID forkId, Instant now) {
        int from = fromStep(source, request);
        Set<Integer> reused = new TreeSet<>();
        for (StepRecord step : source.executionLog()) {
            if (step.stepNumber() < from && step.status() == StepStatus.COMPLETED) {
                reused.add(step.stepNumber());
            }
        }
        Run fork = Run.forked(forkId, source, new ForkedFrom(source.runId(), from, request.reason()), reused,
                request.toolInput(), now);
        for (PlanStep step : fork.plan().steps()) {
            if (reused.contains(step.stepNumber())) {
                continue;
            }
            if (tools.find(step.toolName(), fork.tenant()).isEmpty()) {
                throw InvalidRequestException.unprocessable("step " + step.stepNumber() + " would run again, but "
                        + "its tool '" + step.toolName() + "' no longer exists");
            }
            for (int read : PlanReferences.referencedSteps(step.toolInput())) {
                if (reused.contains(read) && fork.step(read).output() == null) {
                    throw InvalidRequestException.unprocessable("step " + step.stepNumber() + " reads step " + read
                            + "'s output, which is no longer stored; fork from step " + read + " instead");
                }
            }
        }
        if (request.toolInput() != null) {
            checkInput(fork, fork.plan().steps().get(from - 1), reused);
        }
        return fork;
    }

    /** The step asked for, or the first that failed, was skipped or was interrupted by a cancellation. */
    private static int fromStep(Run source, ForkRequest request) {
        int steps = source.executionLog().size();
        if (request.fromStep() != null) {
            if (request.fromStep() > steps) {
                throw InvalidRequestException.unprocessable("from_step: run " + source.runId() + " has "
                        + steps + (steps == 1 ? " step" : " steps") + ", not " + request.fromStep());
            }
            return request.fromStep();
        }
        return source.executionLog().stream()
                .filter(step -> step.status() == StepStatus.FAILED || step.status() == StepStatus.SKIPPED
                        || step.status() == StepStatus.INTERRUPTED)
                .mapToInt(StepRecord::stepNumber).findFirst()
                .orElseThrow(() -> InvalidRequestException.unprocessable("from_step: run " + source.runId()
                        + " has no failed, skipped or interrupted step to retry; say which step to run again"));
    }

    /**
     * The replaced input, checked now as the executor would check it, so that a fork that cannot run is refused
     * rather than created to fail: its references must be to earlier steps; when they are all to reused steps it is
     * resolved against their outputs and validated against the tool's schema (otherwise the executor validates it
     * once the steps it reads have run again).
     */
    private void checkInput(Run fork, PlanStep step, Set<Integer> reused) {
        Set<Integer> reads = PlanReferences.referencedSteps(step.toolInput());
        for (int read : reads) {
            if (read < 1 || read >= step.stepNumber()) {
                throw InvalidRequestException.unprocessable("tool_input: " + PlanReferences.outputOf(read)
                        + " must refer to a step before step " + step.stepNumber());
            }
        }
        if (!reused.containsAll(reads)) {
            return;
        }
        Tool tool = tools.find(step.toolName(), fork.tenant()).orElseThrow();
        try {
            JsonNode resolved = resolver.resolve(step.toolInput(), fork);
            tools.validate(tool.name(), resolved);
        } catch (AgentException refused) {
            throw InvalidRequestException.unprocessable("tool_input: " + refused.getMessage());
        }
    }
}
