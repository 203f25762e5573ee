package dev.agentruntime.api;

import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which web pages may drive the runtime from a browser, by the {@code Origin} a browser sends. A request without
 * one comes from a program (curl, an MCP client), not from a page, and is not judged here. For {@code /mcp} the MCP
 * specification asks servers to check {@code Origin} against DNS rebinding: a page on any site can make its own
 * name point at 127.0.0.1, and then its requests reach a local runtime as "same-origin" ones. So {@code /mcp}
 * accepts pages of {@code localhost}, {@code 127.0.0.1} and {@code [::1]} (any port: a local tool's page) and the
 * configured origins, and never "whatever Host the request names", which the rebinding page controls.
 */
@Singleton
public class Origins {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed;

    @Inject
    public Origins(HttpEdgeConfig config) {
        this(config.allowedOrigins());
    }

    /** @throws ConfigurationException for an entry that is not an origin */
    Origins(Optional<List<String>> configured) {
        this.allowed = configured.orElse(List.of()).stream().map(String::strip).filter(entry -> !entry.isEmpty())
                .map(Origins::asABrowserSendsIt).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A configured origin, exactly as browsers send it (lower case, no default port): the CORS filter, which admits
     * the same list, compares it as text, so "HTTPS://App.example.com:443" would be refused there while allowed here.
     */
    private static String asABrowserSendsIt(String entry) {
        String origin = normalize(entry).orElseThrow(() -> new ConfigurationException("AGENT_HTTP_ALLOWED_ORIGINS: '"
                + entry + "' is not an origin: give scheme://host[:port], such as https://app.example.com (no path, "
                + "no wildcard)"));
        if (!origin.equals(entry)) {
            throw new ConfigurationException("AGENT_HTTP_ALLOWED_ORIGINS: '" + entry + "' is not written as browsers "
                    + "send it: give " + origin);
        }
        return origin;
    }

    /** May a page of {@code origin} (null: no page) call {@code /mcp}? */
    boolean mayCallMcp(String origin) {
        if (origin == null) {
            return true;
        }
        Optional<String> normalized = normalize(origin);
        return normalized.isPresent() && (allowed.contains(normalized.get())
                || LOCAL_HOSTS.contains(URI.create(normalized.get()).getHost()));
    }

    /** Is {@code origin} one of the configured origins? */
    boolean isConfigured(String origin) {
        return origin != null && normalize(origin).map(allowed::contains).orElse(false);
    }

    /** {@code scheme://host[:port]} in lower case without a default port; empty for anything else. */
    static Optional<String> normalize(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
                    || (scheme.equals("https") && port == 443);
            return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
