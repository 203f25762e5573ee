package dev.agentruntime.store.memory;

import dev.agentruntime.store.JournalEvent;
import dev.agentruntime.store.RunJournal;
import dev.agentruntime.store.RunEventLog;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.RunStatus;
import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * In one process a crash loses the run and its events together, so saving then appending is atomic enough; the
 * store's lock makes "save unless ended" and "save if still pending" one step.
 */
public final class MemoryRunJournal implements RunJournal {

    private final MemoryRunStore runs;
    private final RunEventLog events;

    public MemoryRunJournal(MemoryRunStore runs, RunEventLog events) {
        this.runs = runs;
        this.events = events;
    }

    @Override
    public Uni<Boolean> record(Run run, List<JournalEvent> appended) {
        return runs.saveUnlessEnded(run).call(saved -> saved ? append(run, appended) : Uni.createFrom().voidItem());
    }

    @Override
    public Uni<Boolean> transition(RunStatus expected, Run next, List<JournalEvent> appended) {
        return runs.transition(expected, next).call(moved -> moved ? append(next, appended)
                : Uni.createFrom().voidItem());
    }

    private Uni<Void> append(Run run, List<JournalEvent> appended) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (JournalEvent event : appended) {
            chain = chain.call(() -> events.append(run.runId(), event.type(), event.data()));
        }
        return chain;
    }
}
