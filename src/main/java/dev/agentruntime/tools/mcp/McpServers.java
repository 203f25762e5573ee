package dev.agentruntime.tools.mcp;

import dev.agentruntime.tools.ToolRegistry;
import dev.langchain4j.mcp.client.transport.McpTransport;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MCP servers of {@code AGENT_MCP_CONFIG}, one {@link McpServerClient} each. The file is read and checked at
 * start-up, and a bad one refuses start-up; the servers are connected in the background, so one that cannot be
 * reached never does (it is retried, and its tools wait for it). Shutting down stops every server process.
 */
@Startup
@ApplicationScoped
public class McpServers {

    /** Wire traffic, one line per JSON-RPC message, when this category is at DEBUG; never at INFO. */
    static final String TRAFFIC_CATEGORY = "dev.agentruntime.tools.mcp.traffic";

    private final List<McpServerClient> clients;
    private final ScheduledExecutorService scheduler;

    public McpServers(McpConfig config, ToolRegistry registry, MeterRegistry meters, Tracer tracer, Clock clock,
                      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
                      String version) {
        if (config.maxMessageBytes() < 1024) {
            throw new ConfigurationException("AGENT_MCP_MAX_MESSAGE_BYTES must be at least 1024, not "
                    + config.maxMessageBytes());
        }
        List<McpServerSpec> specs = config.config().map(path -> read(path, config.maxConfigBytes())).orElse(List.of());
        AtomicInteger threads = new AtomicInteger();
        // Connecting and reconnecting only: calls and their answers travel on the transports' own threads.
        this.scheduler = Executors.newScheduledThreadPool(1, task -> {
            Thread thread = new Thread(task, "mcp-connections-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.clients = specs.stream().map(spec -> new McpServerClient(spec, config, registry, meters, tracer,
                scheduler, s -> transport(s, config), version, clock)).toList();
        clients.forEach(McpServerClient::start);
    }

    /** The configured servers whose tools the tenant may use, in the file's order. */
    public List<McpServerStatus> status(String tenant) {
        return clients.stream().filter(client -> client.spec().allows(tenant)).map(McpServerClient::status).toList();
    }

    @PreDestroy
    void stop() {
        clients.forEach(McpServerClient::close);
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<McpServerSpec> read(Path path, long maxBytes) {
        String source = "AGENT_MCP_CONFIG (" + path + ")";
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new ConfigurationException(source + ": larger than " + maxBytes
                        + " bytes (agent.mcp.max-config-bytes)");
            }
            return new McpConfigFile(System::getenv).parse(new String(bytes, StandardCharsets.UTF_8), source);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(source + ": no such file");
        } catch (IOException e) {
            throw new ConfigurationException(source + ": cannot be read: " + e.getMessage());
        } catch (McpConfigException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }

    private static McpTransport transport(McpServerSpec spec, McpConfig config) {
        Logger traffic = Logger.getLogger(TRAFFIC_CATEGORY + "." + spec.name());
        return switch (spec.transport()) {
            case STDIO -> new StdioTransport(spec.name(), spec.command(), ChildEnvironment.of(System.getenv(),
                    spec.env()), config.maxMessageBytes(), traffic);
            case HTTP -> new HttpTransport(spec.name(), spec.url(), spec.headers(), config.connectTimeout(),
                    config.maxMessageBytes(), traffic);
        };
    }}
