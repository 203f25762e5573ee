package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunApprovals;
import dev.agentruntime.execution.RunService;
import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ErrorKind;
import dev.agentruntime.run.Run;
import dev.agentruntime.security.Caller;
import dev.agentruntime.store.StoreConfig;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;

import java.io.FileDescriptor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code agent-runtime run PROMPT} with no server: the engine started in this process for one run, with no listening
 * port (neither the API nor the management interface) and nothing of Quarkus on stdout, then followed exactly as a
 * client follows a server's run. The run goes through the queue like any other: on Redis this process is, while it
 * lives, an executor with one slot, so a run it leaves behind (killed, say) is taken over by the servers.
 */
@Singleton
public class LocalRun implements QuarkusApplication {

    /** Longer than any answer the engine gives (a cancel waits up to agent.execution.cancel-wait, 5 s). */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final RunService runs;
    private final RunApprovals approvals;
    private final ObjectMapper mapper;
    private final StoreConfig store;

    public LocalRun(RunService runs, RunApprovals approvals, ObjectMapper mapper, StoreConfig store) {
        this.runs = runs;
        this.approvals = approvals;
        this.mapper = mapper;
        this.store = store;
    }

    /**
     * Starts the engine for {@code args} (the whole command line, parsed again inside) and exits the process with
     * the run's {@link ExitCode}. Run-time properties only, set before Quarkus reads its configuration, so the same
     * build serves when started without arguments.
     */
    static int launch(String[] args, boolean verbose) {
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.management.host-enabled", "false");
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.console.stderr", "true");
        System.setProperty("quarkus.log.console.json.enabled", "false");
        if (!verbose) {
            System.setProperty("quarkus.log.console.level", "ERROR");
        }
        // One slot: on a shared Redis queue this process takes at most one run at a time, normally its own.
        System.setProperty("agent.queue.max-concurrent", "1");
        Quarkus.run(LocalRun.class, args);
        return ExitCode.OK.code;
    }

    @Override
    public int run(String... args) {
        return run(Cli.stream(FileDescriptor.out), Cli.stream(FileDescriptor.err), args);
    }

    /** The run on {@code out} and {@code err}: this process's streams, or a test's. */
    int run(PrintWriter out, PrintWriter err, String... args) {
        RunCommand options = Cli.parsedRun(Cli.commandLine(out, err), args);
        Terminal terminal = options.output.terminal();
        try {
            Run created = await(runs.create(options.tenant(), options.promptText(), Duration.ZERO,
                    Optional.ofNullable(options.idempotencyKey))).run();
            return new RunFollower(new Session(options.tenant()), terminal, mapper, options.settings())
                    .start(mapper.valueToTree(created)).code;
        } catch (CliException failure) {
            terminal.error("agent-runtime: " + failure.getMessage());
            return failure.exit.code;
        }
    }

    /** The engine's answer, its own failures as one-line errors: a bad request or an unplannable prompt is usage. */
    private static <T> T await(Uni<T> answer) {
        try {
            return answer.await().atMost(CALL_TIMEOUT);
        } catch (AgentException failure) {
            throw cliException(failure);
        }
    }

    private static CliException cliException(Throwable failure) {
        if (failure instanceof AgentException known) {
            ErrorKind kind = known.kind();
            boolean usage = kind == ErrorKind.BAD_REQUEST || kind == ErrorKind.INVALID_REQUEST
                    || kind == ErrorKind.PLANNING_FAILED;
            return new CliException(usage ? ExitCode.USAGE : ExitCode.FAILED, known.getMessage());
        }
        return new CliException(ExitCode.FAILED, String.valueOf(failure.getMessage()));
    }

    /** The run's life through the engine's services, as the HTTP API would drive them for {@code tenant}. */
    private final class Session implements RunSession {

        private final String tenant;
        /** Who decides, as the API names its callers: the tenant, and the user at this command line. */
        private final Caller caller;

        Session(String tenant) {
            this.tenant = tenant;
            this.caller = Caller.of(tenant, "cli:" + System.getProperty("user.name", "unknown"));
        }

        @Override
        public void follow(String runId, String lastEventId, EventSink sink) {
            runs.eventsOf(tenant, runId, lastEventId)
                    .onItem().transformToMulti(run -> runs.events(run, lastEventId))
                    .subscribe().with(
                            event -> sink.event(new StreamEvent(event.id(), event.type().wireName(), event.data())),
                            failure -> sink.closed(cliException(failure)),
                            () -> sink.closed(null));
        }

        @Override
        public JsonNode run(String runId) {
            return mapper.valueToTree(await(runs.get(tenant, runId)));
        }

        @Override
        public JsonNode approve(String runId, String inputHash, String comment) {
            return mapper.valueToTree(await(approvals.approve(tenant, runId,
                    new RunApprovals.Decision(inputHash, comment), caller.actor())));
        }

        @Override
        public JsonNode reject(String runId, String inputHash, String comment) {
            return mapper.valueToTree(await(approvals.reject(tenant, runId,
                    new RunApprovals.Decision(inputHash, comment), caller.actor())));
        }

        @Override
        public JsonNode cancel(String runId) {
            return mapper.valueToTree(await(runs.cancel(tenant, runId)));
        }

        /** Only a run on Redis can be reached from another shell: through a server on the same Redis. */
        @Override
        public String commandFor(String subcommand) {
            return store.type() == StoreConfig.Type.REDIS
                    ? "agent-runtime " + subcommand + " --server <a server on the same Redis>" : null;
        }
    }
}
