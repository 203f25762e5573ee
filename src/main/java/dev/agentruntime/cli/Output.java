package dev.agentruntime.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** How a command prints: for people, or for scripts (picocli reads the constants reflectively, also natively). */
@RegisterForReflection
enum Output {
    /** Lines for people (colours and a live step line on a terminal only). */
    TEXT,
    /** One JSON document: what the HTTP API answers (a run, a list, the health page). */
    JSON,
    /** One JSON value per line: a run's events as the server sends them, or one item of a list per line. */
    JSONL
}
