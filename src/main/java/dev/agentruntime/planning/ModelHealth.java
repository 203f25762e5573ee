package dev.agentruntime.planning;

import dev.agentruntime.run.FallbackReason;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Clock;
import java.time.Instant;

/**
 * What the LLM planner learned of the model from its last calls, for health: whether it answers, and when and why it
 * last did not. The rules serve while it is down, so this never makes the instance unready; it tells an operator
 * (and the console) that runs are planned by the rules for a reason.
 */
@ApplicationScoped
public class ModelHealth {

    /** {@code UNKNOWN} until the first call; {@code UP} when the last call was answered (even with a bad plan). */
    @Schema(name = "ModelState")
    public enum State { UNKNOWN, UP, DOWN }

    /** The model as the last calls found it; {@code lastFailure} names the reason and, briefly, the cause. */
    @RegisterForReflection
    @Schema(name = "ModelStatus")
    public record Status(State status, @Schema(nullable = true) Instant lastSuccessAt,
                         @Schema(nullable = true) Instant lastFailureAt, @Schema(nullable = true) String lastFailure) {
    }

    private final Clock clock;
    private volatile Status status = new Status(State.UNKNOWN, null, null, null);

    public ModelHealth(Clock clock) {
        this.clock = clock;
    }

    public Status status() {
        return status;
    }

    /** The model answered (whatever the plan was worth). */
    synchronized void answered() {
        status = new Status(State.UP, clock.instant(), status.lastFailureAt(), status.lastFailure());
    }

    /** A call did not get an answer: unreachable, too slow, an error status. */
    synchronized void failed(FallbackReason reason, String cause) {
        status = new Status(State.DOWN, status.lastSuccessAt(), clock.instant(), reason.wireName() + ": " + cause);
    }
}
