package dev.agentruntime.cli;

import dev.agentruntime.run.RunStatus;

/** What the process's exit status tells a script: how the run ended, or why nothing ran. */
enum ExitCode {
    /** The run completed, or the command did what it was asked. */
    OK(0),
    /** The run failed, or the server refused the request or could not be reached. */
    FAILED(1),
    /** Bad usage, or a prompt the planner cannot plan (its message says why). */
    USAGE(2),
    /** The run was rejected or cancelled, or it waits for a decision this command may not take. */
    STOPPED(3),
    /** Ctrl-C stopped the command, not the run (128 + SIGINT, as shells report it). */
    INTERRUPTED(130);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The code of a run that ended with {@code status}. */
    static ExitCode of(RunStatus status) {
        return switch (status) {
            case COMPLETED -> OK;
            case FAILED -> FAILED;
            case CANCELLED, REJECTED -> STOPPED;
            case PENDING, RUNNING, AWAITING_APPROVAL -> throw new IllegalArgumentException(status + " has not ended");
        };
    }
}
