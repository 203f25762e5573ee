package dev.agentruntime.store;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * Cancellation requests for running runs, seen by every instance: a flag an executor checks between steps, and a
 * notification that lets the instance executing the run stop its in-flight step at once.
 */
public interface CancellationSignals {

    Uni<Void> request(UUID runId);

    Uni<Boolean> isRequested(UUID runId);

    /** Forgets the request once the run has ended. */
    Uni<Void> clear(UUID runId);

    /** Ids of runs whose cancellation was requested from now on, from any instance. */
    Multi<UUID> requests();
}
