package dev.agentruntime.cli;

import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Optional;

/**
 * Which server a command talks to, and with which credentials: the options, else {@code AGENT_SERVER},
 * {@code AGENT_API_KEY}, {@code AGENT_TOKEN} (an empty variable counts as not set). Secrets are read from the
 * environment here rather than as picocli defaults, so that {@code --help} never prints them.
 */
final class ClientOptions {

    static final String DEFAULT_SERVER = "http://localhost:8080";

    @Option(names = "--server", paramLabel = "URL",
            description = "The server's HTTP API (default: $AGENT_SERVER, and without either " + DEFAULT_SERVER
                    + ", except for run, which then executes in this process)")
    String server;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "An API key of the server (default: $AGENT_API_KEY), sent as a bearer token")
    String apiKey;

    @Option(names = "--token", paramLabel = "JWT", description = "A bearer token (default: $AGENT_TOKEN)")
    String token;

    /** The server named by the option or the environment, if any. */
    Optional<String> server() {
        return given(server).or(() -> given(System.getenv("AGENT_SERVER")));
    }

    /** How another shell reaches the same server: the option when it was given (the environment is inherited). */
    String serverOption() {
        return given(server).map(url -> " --server " + url).orElse("");
    }

    /** A client of the named server, or of {@link #DEFAULT_SERVER}. */
    ApiClient client() {
        String url = server().orElse(DEFAULT_SERVER);
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException malformed) {
            throw new CliException(ExitCode.USAGE, "--server: not a URL: " + url);
        }
        if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new CliException(ExitCode.USAGE, "--server: not an http(s) URL with a host: " + url);
        }
        Optional<String> key = given(apiKey).or(() -> given(System.getenv("AGENT_API_KEY")));
        Optional<String> bearer = given(token).or(() -> given(System.getenv("AGENT_TOKEN")));
        if (key.isPresent() && bearer.isPresent()) {
            throw new CliException(ExitCode.USAGE, "an API key and a token are both given (options or AGENT_API_KEY "
                    + "and AGENT_TOKEN): give one");
        }
        return new ApiClient(base, key.or(() -> bearer), Json.mapper());
    }

    private static Optional<String> given(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isBlank());
    }
}
