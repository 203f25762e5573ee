package dev.agentruntime.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentruntime.run.RunLifecycle.Transition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The table itself: one row per (status, trigger), what it makes terminal, the rows the executor's writes are
 * matched to, and the Redis scripts, which name no status (Java sends them). RunLifecycleContractTest walks it on
 * the stores.
 */
class RunLifecycleTest {

    private static final String BEGIN = "<!-- generated from RunLifecycle: begin -->";
    private static final String END = "<!-- generated from RunLifecycle: end -->";

    @Test
    void eachStatusTakesATriggerAtMostOnce() {
        Set<String> pairs = new HashSet<>();
        for (Transition row : RunLifecycle.table()) {
            assertThat(pairs.add(row.from() + "/" + row.trigger())).as("%s", row).isTrue();
            assertThat(RunLifecycle.find(row.from(), row.trigger())).contains(row);
        }
        for (RunStatus status : RunStatus.values()) {
            assertThat(RunLifecycle.find(status, RunTrigger.SUBMIT)).as("a submission makes a new run").isEmpty();
        }
    }

    @Test
    void theTerminalStatusesAreTheOnesNoRowLeavesAndEveryOtherIsReachedFromASubmission() {
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::isTerminal))
                .containsExactlyInAnyOrder(RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED,
                        RunStatus.REJECTED);
        assertThat(RunLifecycle.terminalWireNames().split(" "))
                .containsExactlyInAnyOrder("completed", "failed", "cancelled", "rejected");
        Set<RunStatus> reached = EnumSet.of(RunLifecycle.SUBMITTED);
        for (int i = 0; i < RunStatus.values().length; i++) {
            RunLifecycle.table().stream().filter(row -> reached.contains(row.from()))
                    .forEach(row -> reached.add(row.to()));
        }
        assertThat(reached).containsExactlyInAnyOrder(RunStatus.values());
        // Each end is announced by its own event, last.
        RunLifecycle.table().stream().filter(row -> row.to().isTerminal() && row.from() != row.to())
                .forEach(row -> assertThat(row.events()).as("%s", row).endsWith(EventType.endOf(row.to())));
    }

    /** {@link RunLifecycle#matching} takes the first row with the write's from, to and events: they must agree. */
    @Test
    void rowsThatLookAlikeToAWriteAreWrittenAlike() {
        for (Transition row : RunLifecycle.table()) {
            Transition matched = RunLifecycle.matching(row.from(), row.to(), row.events());
            assertThat(matched.guard()).as("%s matched as %s", row, matched).isEqualTo(row.guard());
            assertThat(matched.requeue()).as("%s matched as %s", row, matched).isEqualTo(row.requeue());
            assertThat(matched.events()).as("%s matched as %s", row, matched).isEqualTo(row.events());
        }
    }

    @Test
    void aRunsTransitionFromAStatusWithoutThatRowIsRefused() {
        Instant now = Instant.parse("2026-12-06T09:00:00Z");
        Run pending = Run.planned(UUID.randomUUID(), "acme", "calculate 1 + 1",
                PlanningOutcome.byRules(new Plan(List.of(new PlanStep(1, "calculator",
                        JsonNodeFactory.instance.objectNode(), "test", null))),
                        null), now);
        assertThat(pending.status()).isEqualTo(RunLifecycle.SUBMITTED);
        Run running = pending.started(now);
        assertThatThrownBy(() -> running.approved("alice", now, null))
                .isInstanceOf(IllegalStateException.class).hasMessage("a run that is running cannot approve");
        assertThatThrownBy(() -> running.started(now))
                .isInstanceOf(IllegalStateException.class).hasMessage("a run that is running cannot start");
        assertThatThrownBy(() -> pending.resumed(now))
                .isInstanceOf(IllegalStateException.class).hasMessage("a run that is pending cannot resume");
        Run cancelled = running.cancelled("stop", now);
        assertThatThrownBy(() -> cancelled.failed("late", now))
                .isInstanceOf(IllegalStateException.class).hasMessage("a run that is cancelled cannot fail");
    }

    /** The statuses reach the scripts from Java (the terminal set, a row's from status): none is written there. */
    @Test
    void theRedisScriptsNameNoStatus() throws IOException {
        try (Stream<Path> scripts = Files.list(Path.of("src", "main", "resources", "redis"))) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".lua")).toList()) {
                String code = Files.readString(script).lines().filter(line -> !line.trim().startsWith("--"))
                        .reduce("", (a, b) -> a + b + "\n");
                for (RunStatus status : RunStatus.values()) {
                    assertThat(code).as("%s", script).doesNotContain("'" + status.wireName() + "'")
                            .doesNotContain("\"" + status.wireName() + "\"");
                }
            }
        }
    }

    /**
     * {@code docs/run-lifecycle.md} holds the diagram and the table as generated from {@link RunLifecycle}; this fails
     * when they differ ({@code -Dagent.write-docs=true} rewrites the generated part).
     */
    @Test
    void theDocumentedLifecycleIsTheTable() throws IOException {
        Path doc = Path.of("docs", "run-lifecycle.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s has the markers %s and %s", doc, BEGIN, END).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String generated = "\n```mermaid\n" + RunLifecycle.mermaid() + "```\n\n" + RunLifecycle.markdownTable();
        String documented = text.substring(begin + BEGIN.length(), end);
        if (Boolean.getBoolean("agent.write-docs") && !documented.equals(generated)) {
            Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + generated + text.substring(end));
            return;
        }
        assertThat(documented).as("%s is out of date with RunLifecycle: regenerate it with ./mvnw -q test "
                + "-Dtest=RunLifecycleTest -Dagent.write-docs=true", doc).isEqualTo(generated);
    }
}
