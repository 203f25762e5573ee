package dev.agentruntime.execution;

import dev.agentruntime.observability.RunTelemetry;
import dev.agentruntime.tools.Tool;
import jakarta.enterprise.context.Dependent;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import io.smallrye.faulttolerance.api.BeforeRetryHandler;

/** Sees every failed attempt that fault tolerance is about to retry: counts retries and timeouts per tool. */
@Dependent
public class StepRetryObserver implements BeforeRetryHandler {

    private final RunTelemetry telemetry;

    public StepRetryObserver(RunTelemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void handle(ExecutionContext context) {
        Tool tool = (Tool) context.getParameters()[0];
        telemetry.stepRetrying(tool.name(), context.getFailure() instanceof TimeoutException);
    }
}
