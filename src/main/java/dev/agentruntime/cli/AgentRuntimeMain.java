package dev.agentruntime.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;

/**
 * The binary's entry point. With no arguments, or only {@code serve}, it serves exactly as before (Quarkus starts at
 * once; containers, Kubernetes and the tests start it so); with a command it is the command line, which starts the
 * engine only for a {@code run} without a server.
 */
@QuarkusMain
public final class AgentRuntimeMain {

    /** Not private: Quarkus registers a {@code @QuarkusMain} class as a bean, and says so of a private constructor. */
    AgentRuntimeMain() {
    }

    public static void main(String... args) {
        if (serves(args)) {
            Quarkus.run(Arrays.stream(args).filter(arg -> !arg.equals("serve")).toArray(String[]::new));
            return;
        }
        System.exit(Cli.execute(args));
    }

    /**
     * Nothing but {@code -Dname=value} arguments, after an optional {@code serve}: what the service has always been
     * started with (the native container's entry point passes {@code -Dquarkus.http.host=0.0.0.0}), handed to
     * Quarkus as before.
     */
    static boolean serves(String... args) {
        int first = args.length > 0 && args[0].equals("serve") ? 1 : 0;
        return Arrays.stream(args, first, args.length).allMatch(arg -> arg.startsWith("-D"));
    }
}
