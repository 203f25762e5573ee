package dev.agentruntime.run;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Where a fork comes from: the run it was forked from, the step it re-runs from, and why (ADR 0033). */
@RegisterForReflection
public record ForkedFrom(UUID runId, int stepNumber, @Schema(nullable = true) String reason) {
}
