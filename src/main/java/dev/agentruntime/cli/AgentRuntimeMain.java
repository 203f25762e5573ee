package dev.agentruntime.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The binary's entry point. With no arguments, or just {@code serve}, it serves exactly as before (Quarkus starts at
 * once; containers, Kubernetes and the tests start it so); with a command it is the command line, which starts the
 * engine only for a {@code run} without a server.
 */
@QuarkusMain
public final class AgentRuntimeMain {

    private AgentRuntimeMain() {
    }

    public static void main(String... args) {
        if (args.length == 0 || (args.length == 1 && args[0].equals("serve"))) {
            Quarkus.run();
            return;
        }
        System.exit(Cli.execute(args));
    }
}
