package dev.agentruntime.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentruntime.run.StoreUnavailableException;
import dev.agentruntime.run.TransientToolException;
import dev.agentruntime.tools.Tool;
import dev.agentruntime.tools.ToolContext;
import io.smallrye.faulttolerance.api.BeforeRetry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.time.Duration;

/**
 * The fault-tolerance boundary of a tool call. Each attempt gets {@code @Timeout}; transient failures and timeouts
 * are retried with exponential backoff and jitter; anything else (a syntax error, an unknown todo) fails at once. A
 * call that is expected to take long ({@link Tool#expectedDuration}) or limits its own time ({@link Tool#timeLimit})
 * gets that time on top of the step timeout, and is not retried when it runs out of it: it was doing what it was
 * asked, and would only do it again. So is a call to a tool that is not {@link Tool#idempotent}: a timeout may
 * have had its effect.
 * The values below are defaults: {@code agent.execution.*} overrides them (see application.properties). Called
 * through the CDI proxy only, so the interceptors apply.
 */
@ApplicationScoped
public class StepInvoker {

    @Timeout(30_000)
    @Retry(maxRetries = 2, delay = 200, jitter = 50, maxDuration = 600_000,
            retryOn = {TransientToolException.class, TimeoutException.class, StoreUnavailableException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    @BeforeRetry(StepRetryObserver.class)
    public Uni<JsonNode> invoke(Tool tool, JsonNode input, ToolContext context, StepAttempts attempts) {
        // Fault tolerance calls this method again for every attempt: count here, and start the tool lazily.
        attempts.begin();
        return Uni.createFrom().deferred(() -> tool.execute(input, context));
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 50, maxDuration = 600_000,
            retryOn = {TransientToolException.class, StoreUnavailableException.class},
            abortOn = TimeoutException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    @BeforeRetry(StepRetryObserver.class)
    public Uni<JsonNode> invokeWithin(Tool tool, JsonNode input, ToolContext context, StepAttempts attempts,
                                      Duration allowed) {
        attempts.begin();
        return Uni.createFrom().deferred(() -> tool.execute(input, context))
                .ifNoItem().after(allowed).failWith(() -> new TimeoutException("timed out after "
                        + allowed.toMillis() + " ms"));
    }
}
