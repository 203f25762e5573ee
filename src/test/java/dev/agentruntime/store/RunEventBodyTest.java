package dev.agentruntime.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentruntime.run.Approval;
import dev.agentruntime.run.ApprovalDecision;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.ForkedFrom;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.testing.TestRuns;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 29: one record per event type, and each serialised to exactly the JSON the untyped payloads carried (the
 * template-built payloads of before are kept below as the reference), and read back to the same record.
 */
class RunEventBodyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T09:00:00.123456Z");

    private final ObjectMapper mapper = TestJson.mapper();
    private final EventPayloads payloads = new EventPayloads(mapper);

    @Test
    void everyEventTypeHasExactlyOneRecord() throws Exception {
        List<Class<?>> records = new ArrayList<>();
        collectRecords(RunEventBody.class, records);
        assertThat(records).hasSize(EventType.values().length).doesNotHaveDuplicates();

        Set<Class<?>> mapped = new HashSet<>();
        for (EventType type : EventType.values()) {
            Class<? extends RunEventBody> record = RunEventBody.classOf(type);
            assertThat(records).as(type.wireName()).contains(record);
            assertThat(mapped.add(record)).as(type.wireName() + " shares its record").isTrue();
            assertThat(blank(record).type()).as(record.getSimpleName()).isEqualTo(type);
        }
    }

    @Test
    void eachEventOfARunIsTheJsonTheUntypedPayloadsCarried() {
        Map<EventType, RunEventBody> seen = new EnumMap<>(EventType.class);
        for (RunEventBody body : eventsOfRuns()) {
            seen.putIfAbsent(body.type(), body);
            ObjectNode json = payloads.json(body);
            assertThat(json.toString()).as(body.type().wireName()).isEqualTo(before(body).toString());

            RunEventBody read = payloads.read(body.type(), json);
            assertThat(read.getClass()).isEqualTo(body.getClass());
            assertThat(payloads.json(read).toString()).as(body.type().wireName()).isEqualTo(json.toString());
            JsonNode stored = payloads.expand(body.runId(), body.type(), payloads.compact(json));
            assertThat(payloads.json(payloads.read(body.type(), stored))).isEqualTo(json);
        }
        assertThat(seen.keySet()).as("every type is built from a run").containsExactlyInAnyOrder(EventType.values());
    }

    @Test
    void anEventIsReadByTypeNotByFieldName() {
        Run run = TestRuns.planned("acme", T0).started(T0);
        StepRecord done = run.step(1).running(run.step(1).toolInput(), T0).completed(
                JsonNodeFactory.instance.numberNode(2), 1, T0.plusMillis(5));
        RunEvent event = new RunEvent("1-0", EventType.STEP_COMPLETED,
                payloads.json(RunEventBody.stepEnded(run, done)));

        RunEventBody body = payloads.read(event);

        assertThat(body).isInstanceOf(RunEventBody.StepCompleted.class);
        assertThat(((RunEventBody.StepEvent) body).step().toString()).isEqualTo(done.toString());
        assertThat(body.runId()).isEqualTo(run.runId());
    }

    /** The events runs go through, built as the runtime builds them, every type among them. */
    private List<RunEventBody> eventsOfRuns() {
        Run planned = TestRuns.planned("acme", T0);
        Run run = planned.started(T0.plusMillis(1));
        StepRecord running = run.step(1).running(run.step(1).toolInput(), T0.plusMillis(2));
        StepRecord done = running.completed(JsonNodeFactory.instance.objectNode().put("value", 2), 2,
                T0.plusMillis(3));
        StepRecord failed = running.failed("division by zero", 3, T0.plusMillis(3));
        StepRecord interrupted = running.interrupted("cancelled", 1, T0.plusMillis(3));
        Run completed = run.withStep(done).completed(done.output(), T0.plusMillis(4));
        Run failedRun = run.withStep(failed).failed("step 1 failed", T0.plusMillis(4));
        Run cancelled = run.withStep(interrupted).cancelled("cancelled by the caller", T0.plusMillis(4));
        Approval asked = Approval.requested(1, "calculator", running.toolInput(), "ab".repeat(32), T0,
                T0.plusSeconds(60));
        Run awaiting = run.awaitingApproval(asked);
        Run approved = awaiting.approved("acme/alice", T0.plusSeconds(1), "fine");
        Run rejected = awaiting.rejected(ApprovalDecision.REJECTED, "acme/bob", T0.plusSeconds(2), "no",
                "rejected by acme/bob: no");
        Run expired = awaiting.rejected(ApprovalDecision.EXPIRED, null, T0.plusSeconds(61), null, "expired");
        Run fork = Run.forked(UUID.randomUUID(), completed, new ForkedFrom(completed.runId(), 1, "again"),
                java.util.Set.of(), null, T0.plusSeconds(5));
        return List.of(RunEventBody.forked(fork), RunEventBody.started(run),
                RunEventBody.step(EventType.STEP_STARTED, run.runId(), running),
                RunEventBody.retrying(run, 1, 2),
                RunEventBody.stepEnded(run, done), RunEventBody.stepEnded(run, done.asReused()),
                RunEventBody.stepEnded(run, failed),
                RunEventBody.stepEnded(run, interrupted),
                RunEventBody.approval(awaiting), RunEventBody.approval(approved), RunEventBody.approval(rejected),
                RunEventBody.approval(expired),
                RunEventBody.ended(completed), RunEventBody.ended(failedRun), RunEventBody.ended(cancelled),
                RunEventBody.ended(rejected), RunEventBody.ended(expired),
                RunEventBody.ended(planned.cancelled("cancelled before it started", T0.plusMillis(1))));
    }

    /**
     * The payload as the template-built {@code EventPayloads} wrote it before the events were typed (its builders,
     * unchanged), from what the event was built from.
     */
    private ObjectNode before(RunEventBody body) {
        if (body instanceof RunEventBody.RunForked forked) {
            // New with issue 30: no untyped payload came before it; this is its JSON as the contract says.
            ObjectNode data = base(forked.runId(), "pending");
            data.putObject("forked_from").put("run_id", forked.forkedFrom().runId().toString())
                    .put("step_number", forked.forkedFrom().stepNumber()).put("reason", forked.forkedFrom().reason());
            data.putArray("reused_steps");
            return data.put("steps", forked.steps());
        }
        if (body instanceof RunEventBody.RunStarted started) {
            return base(started.runId(), started.status().wireName()).put("steps", started.steps());
        }
        if (body instanceof RunEventBody.StepEvent step) {
            ObjectNode data = mapper.valueToTree(step.step());
            data.put("run_id", step.runId().toString());
            return data;
        }
        if (body instanceof RunEventBody.StepRetrying retrying) {
            return base(retrying.runId(), retrying.status().wireName()).put("step_number", retrying.stepNumber())
                    .put("attempt", retrying.attempt());
        }
        if (body instanceof RunEventBody.ApprovalEvent approval) {
            ObjectNode data = base(approval.runId(), approval.status().wireName());
            data.set("approval", mapper.valueToTree(approval.approval()));
            return data;
        }
        RunEventBody.RunEnded ended = (RunEventBody.RunEnded) body;
        ObjectNode data = base(ended.runId(), ended.status().wireName());
        data.set("result", ended.result());
        data.put("error", ended.error());
        data.put("completed_at", String.valueOf(ended.completedAt()));
        return data;
    }

    private ObjectNode base(UUID runId, String status) {
        return mapper.createObjectNode().put("run_id", runId.toString()).put("status", status);
    }

    private static void collectRecords(Class<?> type, List<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
        }
        if (type.isSealed()) {
            Arrays.stream(type.getPermittedSubclasses()).forEach(sub -> collectRecords(sub, records));
        }
    }

    private static RunEventBody blank(Class<? extends RunEventBody> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Object[] values = Arrays.stream(types).map(type -> type == int.class ? 0 : type == boolean.class
                ? (Object) false : null).toArray();
        return record.getDeclaredConstructor(types).newInstance(values);
    }
}
