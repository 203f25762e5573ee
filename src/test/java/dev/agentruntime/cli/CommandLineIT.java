package dev.agentruntime.cli;

import dev.agentruntime.testing.CliProcess;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the packaged binary says about itself, with no server and no engine: a version naming the build it is,
 * help with examples on every command, and a completion script that bash really completes with.
 */
class CommandLineIT {

    private static final List<List<String>> COMMANDS = List.of(List.of(), List.of("serve"), List.of("run"),
            List.of("runs"), List.of("runs", "list"), List.of("runs", "get"), List.of("runs", "watch"),
            List.of("runs", "cancel"), List.of("runs", "approve"), List.of("runs", "reject"), List.of("tools"),
            List.of("todos"), List.of("health"), List.of("completion"));

    @Test
    void theVersionNamesTheBuild() throws Exception {
        CliProcess.Result version = CliProcess.run(Map.of(), "--version");

        assertThat(version.exit()).isZero();
        String nativeBinary = System.getProperty("native.image.path");
        assertThat(version.stdout()).matches("agent-runtime \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\("
                + (nativeBinary == null || nativeBinary.isBlank() ? "jar on Java [0-9.]+" : "native binary")
                + ", Quarkus 3\\.\\d+\\.\\d+\\)\n");
    }

    @Test
    void everyCommandHasHelpWithExamples() throws Exception {
        for (List<String> command : COMMANDS) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliProcess.Result help = CliProcess.run(Map.of(), args);

            assertThat(help.exit()).as(String.join(" ", args)).isZero();
            assertThat(help.stdout()).as(String.join(" ", args))
                    .startsWith("Usage: agent-runtime" + (command.isEmpty() ? "" : " " + String.join(" ", command)))
                    .contains("Examples:");
        }
    }

    @Test
    void bashCompletesTheCommandsAndTheirOptions() throws Exception {
        CliProcess.Result script = CliProcess.run(Map.of(), "completion", "bash");
        assertThat(script.exit()).isZero();

        assertThat(complete(script.stdout(), "agent-runtime ru")).containsExactlyInAnyOrder("run", "runs");
        assertThat(complete(script.stdout(), "agent-runtime runs ap")).containsExactly("approve");
        assertThat(complete(script.stdout(), "agent-runtime run --appr")).containsExactly("--approve-all");
        assertThat(CliProcess.run(Map.of(), "completion", "zsh").stdout()).as("one script serves both")
                .isEqualTo(script.stdout());
    }

    /** What bash offers after {@code line}, through the generated script's completion function. */
    private static List<String> complete(String script, String line) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("agent-runtime-completion", ".bash");
        try {
            java.nio.file.Files.writeString(file, script);
            String words = line.replace("'", "");
            Process bash = new ProcessBuilder("bash", "-c", "source '" + file + "'; COMP_LINE='" + words + "'; "
                    + "COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMP_POINT=${#COMP_LINE}; "
                    + "_complete_agent-runtime; printf '%s\\n' \"${COMPREPLY[@]}\"")
                    // compopt complains outside a real completion; what is offered is on stdout
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String offered = new String(bash.getInputStream().readAllBytes());
            assertThat(bash.waitFor()).as(offered).isZero();
            return offered.lines().filter(word -> !word.isBlank()).map(String::strip).toList();
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
