package dev.agentruntime.approval;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunApprovals;
import dev.agentruntime.execution.RunService;
import dev.agentruntime.run.EventType;
import dev.agentruntime.run.ForkRequest;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.RunEventBody;
import dev.agentruntime.run.RunStatus;
import dev.agentruntime.store.EventPayloads;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 29: the events real runs leave in the store, read as records ({@link RunEventBody}), give back exactly the
 * JSON clients were sent. Runs that complete after an approval, are rejected, cancelled while paused or while a
 * step runs, fail, and a fork; on each store (on Redis the events come back from their compact stored form).
 */
abstract class EventRecordsContract {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TENANT = "acme";

    @Inject
    RunService runs;
    @Inject
    RunApprovals approvals;
    @Inject
    ObjectMapper mapper;

    @Test
    void theEventsOfRealRunsReadAsRecordsGiveBackTheirJson() {
        String text = UUID.randomUUID().toString().substring(0, 8);
        List<Run> ended = new ArrayList<>();

        Run approved = paused("calculate 6 * 7 and add the result as a todo");
        ended.add(awaitEnd(approvals.approve(TENANT, approved.runId().toString(), new RunApprovals.Decision(
                approved.approval().inputHash(), "fine"), TENANT + "/alice").await().atMost(WAIT)));
        Run rejected = paused("add todo to rejected " + text);
        ended.add(approvals.reject(TENANT, rejected.runId().toString(), new RunApprovals.Decision(
                rejected.approval().inputHash(), "no"), TENANT + "/bob").await().atMost(WAIT));
        Run cancelledPaused = paused("add todo to cancelled " + text);
        ended.add(awaitEnd(runs.cancel(TENANT, cancelledPaused.runId().toString()).await().atMost(WAIT)));
        Run waiting = runs.create(TENANT, "wait 10 seconds", Duration.ZERO, Optional.empty()).await().atMost(WAIT)
                .run();
        assertThat(runs.events(waiting, null).select().where(event -> event.type() == EventType.STEP_STARTED).toUni()
                .await().atMost(WAIT)).as("the wait step started").isNotNull();
        ended.add(awaitEnd(runs.cancel(TENANT, waiting.runId().toString()).await().atMost(WAIT)));
        ended.add(awaitEnd(runs.create(TENANT, "calculate 1 / 0", Duration.ofSeconds(10), Optional.empty())
                .await().atMost(WAIT).run()));
        // A fork (issue 30): run_forked, then its reused step's step_completed, then its own events.
        Run failedAtTwo = awaitEnd(runs.create(TENANT, "calculate 6 * 7 and then calculate 1 / 0",
                Duration.ofSeconds(10), Optional.empty()).await().atMost(WAIT).run());
        ended.add(failedAtTwo);
        ended.add(awaitEnd(runs.fork(TENANT, failedAtTwo.runId().toString(), new ForkRequest(null,
                mapper.createObjectNode().put("expression", "{{steps.1.output}} + 1"), "retry"), Optional.empty())
                .await().atMost(WAIT).run()));

        EventPayloads payloads = new EventPayloads(mapper);
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        for (Run run : ended) {
            assertThat(run.status().isTerminal()).as(run.runId() + " " + run.status()).isTrue();
            for (RunEvent event : events(run)) {
                RunEventBody body = payloads.read(event);
                assertThat(body.type()).isEqualTo(event.type());
                assertThat(body.runId()).isEqualTo(run.runId());
                assertThat(payloads.json(body).toString()).as(event.type().wireName())
                        .isEqualTo(event.data().toString());
                seen.add(event.type());
            }
        }
        assertThat(seen).as("every type but step_retrying (a transient tool failure)")
                .containsAll(EnumSet.complementOf(EnumSet.of(EventType.STEP_RETRYING)));
    }

    private Run paused(String prompt) {
        Run run = runs.create(TENANT, prompt, Duration.ofSeconds(10), Optional.empty()).await().atMost(WAIT).run();
        assertThat(run.status()).as(prompt).isEqualTo(RunStatus.AWAITING_APPROVAL);
        return run;
    }

    private Run awaitEnd(Run run) {
        await().atMost(WAIT).until(() -> runs.get(TENANT, run.runId()).await().atMost(WAIT).status().isTerminal());
        return runs.get(TENANT, run.runId()).await().atMost(WAIT);
    }

    /** The events of {@code run}, which has ended, as its stream gives them. */
    private List<RunEvent> events(Run run) {
        return runs.events(run, null).collect().asList().await().atMost(WAIT);
    }
}
