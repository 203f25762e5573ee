package dev.agentruntime.observability;

import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a run tells operators: metrics (runs by status, run and step durations, timeouts, runs in flight), log
 * lines that carry {@code run_id} in the MDC (never the prompt), and a trace span per run with a child per step.
 */
@ApplicationScoped
public class RunTelemetry {

    private static final Logger LOG = Logger.getLogger(RunTelemetry.class);

    /** The run's span, alive while this instance executes it. */
    public record RunScope(Span span) {
    }

    private final MeterRegistry registry;
    private final Tracer tracer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Gauge inFlightGauge;

    public RunTelemetry(MeterRegistry registry, Tracer tracer) {
        this.registry = registry;
        this.tracer = tracer;
        // A strong reference: Micrometer's plain gauge() keeps only a weak one to the number it reads.
        this.inFlightGauge = Gauge.builder("agent.runs.in.flight", inFlight, AtomicInteger::get).strongReference(true)
                .register(registry);
    }

    /** The registry may outlive this application (a restart in the same JVM): see QueueDepthGauge. */
    void stop(@Observes ShutdownEvent stop) {
        registry.remove(inFlightGauge);
    }

    public RunScope runStarted(Run run, boolean resumed) {
        inFlight.incrementAndGet();
        Span span = tracer.spanBuilder("agent run").setNoParent()
                .setAttribute("agent.run_id", run.runId().toString())
                .setAttribute("agent.planner", run.planner().wireName())
                .setAttribute("agent.steps", run.plan().steps().size())
                .setAttribute("agent.resumed", resumed)
                .startSpan();
        log(run, Logger.Level.INFO, resumed ? "run resumed at its first step not completed" : "run started (%d steps, planner %s)",
                run.plan().steps().size(), run.planner().wireName());
        return new RunScope(span);
    }

    public Span stepStarted(RunScope scope, Run run, int stepNumber, String tool) {
        Context parent = scope == null ? Context.root() : Context.root().with(scope.span());
        return tracer.spanBuilder("agent step " + tool).setParent(parent)
                .setAttribute("agent.run_id", run.runId().toString())
                .setAttribute("agent.step_number", stepNumber)
                .setAttribute("agent.tool", tool)
                .startSpan();
    }

    /** An attempt of a step failed and will be retried; {@code timedOut} when it ran out of time. */
    public void stepRetrying(String tool, boolean timedOut) {
        registry.counter("agent.step.retries", "tool", tool).increment();
        if (timedOut) {
            registry.counter("agent.step.timeouts", "tool", tool).increment();
        }
    }

    public void stepEnded(Span span, Run run, StepRecord step, boolean timedOut) {
        String outcome = step.isDone() ? "completed" : "failed";
        if (timedOut) {
            registry.counter("agent.step.timeouts", "tool", step.toolName()).increment();
        }
        if (step.durationMs() != null) {
            Timer.builder("agent.step.duration").tag("tool", step.toolName()).tag("outcome", outcome)
                    .publishPercentileHistogram().register(registry)
                    .record(Duration.ofNanos((long) (step.durationMs() * 1_000_000)));
        }
        span.setAttribute("agent.attempts", step.attempts()).setAttribute("agent.outcome", outcome);
        if (!step.isDone()) {
            span.setStatus(StatusCode.ERROR, "step failed");
        }
        span.end();
        log(run, Logger.Level.DEBUG, "step %d (%s) %s after %d attempt(s)", step.stepNumber(), step.toolName(),
                outcome, step.attempts());
    }

    /** This instance stopped executing a run that another party ended (the run's end is counted where it ended). */
    public void executionStopped(RunScope scope) {
        if (scope != null) {
            inFlight.decrementAndGet();
            scope.span().setAttribute("agent.status", "ended_elsewhere");
            scope.span().end();
        }
    }

    /** The run waits for a person's approval: this execution ends here; a decision starts another. */
    public void runPaused(RunScope scope) {
        if (scope != null) {
            inFlight.decrementAndGet();
            scope.span().setAttribute("agent.status", RunStatus.AWAITING_APPROVAL.wireName());
            scope.span().end();
        }
    }

    /** A fork was created ({@code agent_runs_forked_total}), tagged with the planner of the plan it reuses. */
    public void runForked(Run fork) {
        registry.counter("agent.runs.forked", "planner", fork.planner().wireName()).increment();
    }

    /** {@code scope} is null when the run ended without this instance executing it (abandoned, cancelled early). */
    public void runEnded(RunScope scope, Run run) {
        String status = run.status().wireName();
        registry.counter("agent.runs", "status", status).increment();
        if (run.completedAt() != null) {
            Timer.builder("agent.run.duration").tag("status", status).publishPercentileHistogram().register(registry)
                    .record(Duration.between(run.createdAt(), run.completedAt()));
        }
        if (scope != null) {
            inFlight.decrementAndGet();
            scope.span().setAttribute("agent.status", status);
            if (run.status() == RunStatus.FAILED) {
                scope.span().setStatus(StatusCode.ERROR, whereItFailed(run));
            }
            scope.span().end();
        }
        if (run.status() == RunStatus.FAILED) {
            log(run, Logger.Level.WARN, "run %s", whereItFailed(run));
        } else {
            log(run, Logger.Level.INFO, "run %s", status);
        }
    }

    /**
     * Where a run failed, never why in its own words: a tool's error may echo what the user typed (a todo id, an
     * expression), and the prompt stays out of logs and traces. The run itself, over the API, says why.
     */
    private static String whereItFailed(Run run) {
        return run.executionLog().stream().filter(step -> step.status() == StepStatus.FAILED).findFirst()
                .map(step -> "failed at step " + step.stepNumber() + " (" + step.toolName() + ")")
                .orElse("failed before any step failed (abandoned by its executors)");
    }

    /** Every line about a run carries its id, so one grep follows it across instances. */
    private static void log(Run run, Logger.Level level, String format, Object... args) {
        if (!LOG.isEnabled(level)) {
            return;
        }
        MDC.put("run_id", run.runId().toString());
        try {
            LOG.logf(level, format, args);
        } finally {
            MDC.remove("run_id");
        }
    }
}
