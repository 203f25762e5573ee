package dev.agentruntime.planning;

import dev.agentruntime.run.PlanProblem;
import dev.agentruntime.run.Plan;
import dev.agentruntime.run.PlanStep;
import dev.agentruntime.run.PlanningException;
import dev.agentruntime.tools.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Checks a plan before anything runs, whoever made it: a non-empty list of at most {@code maxSteps} steps numbered
 * 1…n, each naming a registered tool with schema-valid input, referring only to earlier steps.
 */
@ApplicationScoped
public class PlanValidator {

    private final ToolRegistry tools;
    private final PlannerConfig config;

    public PlanValidator(ToolRegistry tools, PlannerConfig config) {
        this.tools = tools;
        this.config = config;
    }

    /** Checks the plan for {@code tenant}: a tool the tenant may not use is as unknown as one that does not exist. */
    public Plan validate(Plan plan, String tenant) {
        if (plan == null || plan.steps().isEmpty()) {
            throw new PlanningException(PlanProblem.EMPTY_PLAN, "the plan has no steps");
        }
        List<PlanStep> steps = plan.steps();
        if (steps.size() > config.maxSteps()) {
            throw new PlanningException(PlanProblem.TOO_MANY_STEPS,
                    "the plan has " + steps.size() + " steps; at most " + config.maxSteps() + " are allowed");
        }
        for (int i = 0; i < steps.size(); i++) {
            validateStep(steps.get(i), i + 1, tenant);
        }
        return plan;
    }

    private void validateStep(PlanStep step, int expectedNumber, String tenant) {
        if (step.stepNumber() != expectedNumber) {
            throw new PlanningException(PlanProblem.INVALID_PLAN,
                    "step " + expectedNumber + " is numbered " + step.stepNumber() + "; steps must be numbered 1, 2, 3…");
        }
        String where = "step " + expectedNumber;
        if (tools.find(step.toolName(), tenant).isEmpty()) {
            throw new PlanningException(PlanProblem.UNKNOWN_TOOL, where + " uses unknown tool '" + step.toolName()
                    + "'; available tools: " + String.join(", ", tools.available(tenant).stream()
                    .map(dev.agentruntime.tools.Tool::name).toList()));
        }
        List<String> problems = tools.problems(step.toolName(), step.toolInput());
        if (!problems.isEmpty()) {
            throw new PlanningException(PlanProblem.INVALID_INPUT, where + " (" + step.toolName() + ") has invalid input: "
                    + String.join("; ", problems));
        }
        List<Integer> dependencies = step.dependsOn() == null ? List.of() : step.dependsOn();
        for (int dependency : dependencies) {
            requireEarlier(where, "depends on", dependency, expectedNumber);
        }
        for (int referenced : PlanReferences.referencedSteps(step.toolInput())) {
            requireEarlier(where, "uses the output of", referenced, expectedNumber);
        }
    }

    private static void requireEarlier(String where, String relation, int other, int self) {
        if (other < 1 || other >= self) {
            throw new PlanningException(PlanProblem.INVALID_REFERENCE,
                    where + " " + relation + " step " + other + ", which is not an earlier step");
        }
    }
}
