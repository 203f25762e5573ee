package dev.agentruntime.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The real MCP servers the tests start, from the repository's pinned {@code package.json} ({@code npm ci} installs
 * them into {@code node_modules}): never a mock of MCP.
 */
public final class McpPeers {

    private McpPeers() {
    }

    /** The executable {@code node_modules/.bin/<name>}; fails with what to do when it is not installed. */
    public static Path bin(String name) {
        Path bin = Path.of("node_modules", ".bin", name).toAbsolutePath();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException(bin + " is missing: run 'npm ci' in the repository (Node 20+) to install "
                    + "the MCP servers the tests start");
        }
        return bin;
    }

    /** The running process (a descendant of this JVM) whose command line holds every one of {@code parts}. */
    public static Optional<ProcessHandle> process(List<String> parts) {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(process -> {
            String line = process.info().commandLine().orElse("");
            return parts.stream().allMatch(line::contains);
        }).findFirst();
    }
}
