package dev.agentruntime.cli;

/** A command that cannot go on: {@code getMessage()} is the one line printed, {@code exit} the process's status. */
final class CliException extends RuntimeException {

    final ExitCode exit;

    CliException(ExitCode exit, String message) {
        super(message, null, false, false);
        this.exit = exit;
    }
}
