package dev.agentruntime.run;

import java.util.Locale;

/** What moves a run from one status to the next: the second column of {@link RunLifecycle}'s table. */
public enum RunTrigger {
    /**
     * A client's prompt was planned, or an ended run was forked (ADR 0033): the run is stored and queued
     * {@code pending}.
     */
    SUBMIT,
    /** An executor took a pending run from the queue. */
    START,
    /** An executor took over a running run whose executor stopped, or a run approved and queued again. */
    RESUME,
    /** A step ended (completed, failed or interrupted) and the run goes on. */
    RECORD_STEP,
    /** The next step needs a person's approval. */
    PAUSE_FOR_APPROVAL,
    APPROVE,
    REJECT,
    /** Nobody decided before the request's deadline. */
    EXPIRE,
    CANCEL,
    /** The last step completed (its write ends the run), or a resumed run found every step done. */
    COMPLETE,
    /** A step failed, or no step can start. */
    FAIL,
    /** Every executor that took the run stopped before it finished. */
    ABANDON;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
