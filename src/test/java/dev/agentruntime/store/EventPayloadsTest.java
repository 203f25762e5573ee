package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: a stored event leaves out the run id and null fields, and is read back as exactly the payload the live
 * event carried (same fields, same order), so the API does not change.
 */
class EventPayloadsTest {

    private static final Instant T0 = Instant.parse("2026-11-26T09:00:00.5Z");

    private final EventPayloads payloads = new EventPayloads(TestJson.mapper());

    @Test
    void everyCompactPayloadExpandsToTheFullOne() {
        Run run = TestRuns.planned("acme", T0).started(T0.plusMillis(1));
        StepRecord running = run.step(1).running(run.step(1).toolInput(), T0.plusMillis(2));
        StepRecord done = running.completed(JsonNodeFactory.instance.numberNode(2), 1, T0.plusMillis(3));
        StepRecord failed = running.failed("boom", 3, T0.plusMillis(3));
        Approval asked = Approval.requested(1, "calculator", running.toolInput(), "sha256:x", T0, T0.plusSeconds(60));
        Run awaiting = run.awaitingApproval(asked);
        Run rejected = awaiting.rejected(ApprovalDecision.EXPIRED, null, T0.plusSeconds(61), null, "expired");

        Map<EventType, ObjectNode> full = new LinkedHashMap<>();
        full.put(EventType.RUN_STARTED, payloads.json(RunEventBody.started(run)));
        full.put(EventType.STEP_STARTED,
                payloads.json(RunEventBody.step(EventType.STEP_STARTED, run.runId(), running)));
        full.put(EventType.STEP_RETRYING, payloads.json(RunEventBody.retrying(run, 1, 2)));
        full.put(EventType.STEP_COMPLETED, payloads.json(RunEventBody.stepEnded(run, done)));
        full.put(EventType.STEP_FAILED, payloads.json(RunEventBody.stepEnded(run, failed)));
        full.put(EventType.APPROVAL_REQUESTED, payloads.json(RunEventBody.approval(awaiting)));
        full.put(EventType.APPROVAL_REJECTED, payloads.json(RunEventBody.approval(rejected)));
        full.put(EventType.RUN_REJECTED, payloads.json(RunEventBody.ended(rejected)));
        full.put(EventType.RUN_COMPLETED, payloads.json(RunEventBody.ended(run.withStep(done).completed(done.output(),
                T0.plusMillis(4)))));

        full.forEach((type, payload) -> {
            ObjectNode compact = payloads.compact(payload);
            assertThat(compact.has("run_id")).as(type.wireName()).isFalse();
            compact.fields().forEachRemaining(field -> assertThat(field.getValue().isNull())
                    .as(type.wireName() + "." + field.getKey()).isFalse());
            JsonNode expanded = payloads.expand(run.runId(), type, compact);
            assertThat(expanded.toString()).as(type.wireName()).isEqualTo(payload.toString());
            assertThat(compact.toString().length()).as(type.wireName()).isLessThan(payload.toString().length());
        });
    }

    @Test
    void fieldsATypeDoesNotKnowAreKept() {
        ObjectNode stored = JsonNodeFactory.instance.objectNode().put("status", "running").put("extra", 1);
        JsonNode expanded = payloads.expand(new java.util.UUID(1, 2), EventType.RUN_STARTED, stored);
        assertThat(expanded.path("extra").asInt()).isEqualTo(1);
        assertThat(expanded.has("steps")).isTrue();
        assertThat(expanded.path("run_id").asText()).isEqualTo(new java.util.UUID(1, 2).toString());
    }
}
