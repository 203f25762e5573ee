package dev.agentruntime.testing;

import dev.agentruntime.run.EventType;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunEvent;
import dev.agentruntime.run.StepRecord;
import dev.agentruntime.run.StepStatus;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.store.RunStore;
import dev.agentruntime.tools.ToolContext;
import dev.agentruntime.tools.todo.TodoRepository;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Issue 26, item 1: many races of a cancel against a run's end, tried in parallel, and for each ended run the check
 * that its record, its events and its side effect (the todo it adds) agree: the todo exists exactly when its step is
 * {@code completed}; no step that started is {@code skipped}; each ended step has its event; one terminal event,
 * the run's. Tallies what happened, so a test can show both sides of the race were reached.
 */
public final class RaceRecords {

    /** One try: the run it made, the step that adds a todo, and the tenant whose todos to look in. */
    public record Try(UUID runId, String tenant, int todoStep) {
    }

    private final RunStore store;
    private final RunEventLog events;
    private final TodoRepository todos;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    public RaceRecords(RunStore store, RunEventLog events, TodoRepository todos) {
        this.store = store;
        this.events = events;
        this.todos = todos;
    }

    /** Runs {@code tries} tries, {@code parallel} at a time; each returns its run once the race is over. */
    public RaceRecords run(int tries, int parallel, IntFunction<Try> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                int index = i;
                done.add(pool.submit(() -> {
                    if (problems.size() < 10) {
                        check(attempt.apply(index));
                    }
                    return null;
                }));
            }
            for (Future<?> one : done) {
                one.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return this;
    }

    public List<String> problems() {
        return problems;
    }

    /** How many runs ended how: "cancelled", "completed", "interrupted steps", "todo written in a cancelled run"… */
    public int count(String outcome) {
        AtomicInteger n = outcomes.get(outcome);
        return n == null ? 0 : n.get();
    }

    public Map<String, AtomicInteger> outcomes() {
        return outcomes;
    }

    private void check(Try attempt) {
        Run run = awaitEnded(attempt.runId());
        if (run == null) {
            problems.add("run " + attempt.runId() + " did not end");
            return;
        }
        String todoId = new ToolContext(run.runId(), attempt.todoStep(), attempt.tenant()).stableId();
        boolean written = todos.find(attempt.tenant(), todoId).await().atMost(Duration.ofSeconds(5)).isPresent();
        List<RunEvent> log = events.stream(run.runId(), null).collect().asList().await()
                .atMost(Duration.ofSeconds(10));
        String problem = disagreement(run, attempt.todoStep(), written, log);
        if (problem != null) {
            problems.add("run " + run.runId() + " (" + run.status().wireName() + ", steps "
                    + run.executionLog().stream().map(s -> s.status().wireName()).toList() + ", todo "
                    + (written ? "written" : "not written") + ", events "
                    + log.stream().map(e -> e.type().wireName()).toList() + "): " + problem);
        }
        tally(run.status().wireName());
        if (run.executionLog().stream().anyMatch(s -> s.status() == StepStatus.INTERRUPTED)) {
            tally("interrupted steps");
        }
        if (log.stream().anyMatch(e -> e.type() == dev.agentruntime.run.EventType.APPROVAL_GRANTED)) {
            tally("approved");
        }
        if (written && run.status() != dev.agentruntime.run.RunStatus.COMPLETED) {
            tally("todo written in a " + run.status().wireName() + " run");
        }
    }

    private void tally(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Null when the record, the events and the todo agree. */
    static String disagreement(Run run, int todoStep, boolean written, List<RunEvent> log) {
        StepRecord todo = run.step(todoStep);
        if (written != (todo.status() == StepStatus.COMPLETED)) {
            return "the todo step is " + todo.status().wireName() + " but the todo was "
                    + (written ? "" : "not ") + "written";
        }
        Set<Integer> started = new TreeSet<>();
        Map<EventType, Set<Integer>> ended = new EnumMap<>(EventType.class);
        for (RunEvent event : log) {
            int step = event.data().path("step_number").asInt();
            if (event.type() == EventType.STEP_STARTED) {
                started.add(step);
            } else if (event.type() == EventType.STEP_COMPLETED || event.type() == EventType.STEP_FAILED
                    || event.type() == EventType.STEP_INTERRUPTED) {
                ended.computeIfAbsent(event.type(), k -> new TreeSet<>()).add(step);
            }
        }
        for (StepRecord step : run.executionLog()) {
            boolean announced = started.contains(step.stepNumber());
            if (announced && (step.status() == StepStatus.SKIPPED || step.status() == StepStatus.PENDING)) {
                return "step " + step.stepNumber() + " started but is recorded " + step.status().wireName();
            }
            if (step.status() == StepStatus.RUNNING) {
                return "step " + step.stepNumber() + " of an ended run is still running";
            }
            EventType expected = step.status() == StepStatus.COMPLETED || step.status() == StepStatus.FAILED
                    || step.status() == StepStatus.INTERRUPTED ? EventType.ofStep(step) : null;
            for (EventType type : List.of(EventType.STEP_COMPLETED, EventType.STEP_FAILED,
                    EventType.STEP_INTERRUPTED)) {
                boolean has = ended.getOrDefault(type, Set.of()).contains(step.stepNumber());
                if (has != (type == expected)) {
                    return "step " + step.stepNumber() + " is " + step.status().wireName() + " but its events "
                            + (has ? "have " : "lack ") + type.wireName();
                }
            }
        }
        List<EventType> ends = log.stream().map(RunEvent::type).filter(EventType::terminal).toList();
        if (ends.size() != 1 || log.get(log.size() - 1).type() != EventType.endOf(run.status())) {
            return "the events end " + ends;
        }
        return null;
    }

    private Run awaitEnded(UUID runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Run run = store.find(runId).await().atMost(Duration.ofSeconds(5)).orElse(null);
            if (run != null && run.status().isTerminal()) {
                return run;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
        return null;
    }
}
