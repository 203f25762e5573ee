package dev.agentruntime.execution;

import io.smallrye.config.ConfigMapping;

/**
 * {@code agent.execution.*}. The retry and timeout values also drive the {@code @Retry}/{@code @Timeout} of
 * {@link StepInvoker} through {@code quarkus.fault-tolerance."…StepInvoker/invoke".*} in application.properties,
 * which is why they are plain numbers of milliseconds. Defaults live there too, in one place.
 */
@ConfigMapping(prefix = "agent.execution")
public interface ExecutionConfig {

    /** Retries after the first attempt of a step (2 = 3 attempts). */
    int maxRetries();

    /** Delay before the first retry; it doubles for each further retry. */
    long retryDelayMs();

    /** Upper bound of the growing retry delay. */
    long maxRetryDelayMs();

    /** Random spread added to each retry delay so that many runs do not retry in lockstep. */
    long retryJitterMs();

    /** Time one attempt of a step may take before it counts as failed (and is retried). */
    long stepTimeoutMs();

    /** The most bytes of JSON one step may return; a larger output fails the step. */
    int maxOutputBytes();

    /** How long a cancel of a running run waits to answer with how the run ended. */
    java.time.Duration cancelWait();

    /** Steps of one run that may execute at the same time. */
    int maxParallelSteps();
}
