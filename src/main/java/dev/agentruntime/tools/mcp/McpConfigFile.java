package dev.agentruntime.tools.mcp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code mcp.json}: the {@code {"mcpServers": {"<name>": {…}}}} shape MCP clients share (stdio servers with
 * {@code command}, {@code args}, {@code env}; remote ones with {@code url}, {@code headers}), plus this runtime's
 * settings per server ({@code timeoutMs}, {@code idempotentTools}, {@code tenants}, {@code allowTools},
 * {@code denyTools}, {@code approvalTools}). {@code ${VAR}} in {@code env} and {@code headers} values is taken from the environment, so
 * secrets stay out of the file. Anything wrong is one {@link McpConfigException} naming the file and the field:
 * an unknown key too, since a misspelt {@code idempotentTools} would silently change what is retried.
 */
public final class McpConfigFile {

    /** Letters, digits and '-' only, so {@code server__tool} splits one way. */
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,31}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    private static final Set<String> KEYS = Set.of("type", "command", "args", "env", "url", "headers", "disabled",
            "timeoutMs", "idempotentTools", "tenants", "allowTools", "denyTools", "approvalTools");
    private static final long MAX_TIMEOUT_MS = Duration.ofHours(1).toMillis();

    private final ObjectMapper json = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final UnaryOperator<String> environment;

    /** @param environment looks up an environment variable; null when it is not set */
    public McpConfigFile(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /**
     * The servers of the file's text, in the order written.
     *
     * @param source how to name the file in errors, such as {@code AGENT_MCP_CONFIG (/etc/agent/mcp.json)}
     */
    public List<McpServerSpec> parse(String text, String source) {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new McpConfigException(source + ": not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new McpConfigException(source + ": must be a JSON object with \"mcpServers\"");
        }
        JsonNode servers = root.get("mcpServers");
        if (servers == null || !servers.isObject()) {
            throw new McpConfigException(source + ": \"mcpServers\" must be an object of servers by name");
        }
        List<McpServerSpec> specs = new ArrayList<>();
        servers.fields().forEachRemaining(entry -> specs.add(server(entry.getKey(), entry.getValue(),
                new Where(source, "mcpServers." + entry.getKey()))));
        return specs;
    }

    private McpServerSpec server(String name, JsonNode node, Where where) {
        if (!SERVER_NAME.matcher(name).matches()) {
            throw where.fail("a server name is 1 to 32 letters, digits or '-', starting with a letter "
                    + "(it prefixes its tools' names as <server>__<tool>)");
        }
        if (!node.isObject()) {
            throw where.fail("must be an object");
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!KEYS.contains(key)) {
                throw where.at(key).fail("unknown key; a server may have " + String.join(", ", KEYS.stream()
                        .sorted().toList()));
            }
        });
        boolean hasCommand = node.has("command");
        boolean hasUrl = node.has("url");
        McpTransportKind transport = transport(node, where, hasCommand, hasUrl);
        List<String> command = List.of();
        Map<String, String> env = Map.of();
        URI url = null;
        Map<String, String> headers = Map.of();
        if (transport == McpTransportKind.STDIO) {
            if (hasUrl || node.has("headers")) {
                throw where.fail("a stdio server has \"command\", not \"url\" or \"headers\"");
            }
            command = new ArrayList<>();
            command.add(nonBlank(node.get("command"), where.at("command")));
            command.addAll(strings(node.get("args"), where.at("args")));
            command = List.copyOf(command);
            env = stringMap(node.get("env"), where.at("env"), ENV_NAME, "an environment variable name");
        } else {
            if (hasCommand || node.has("args") || node.has("env")) {
                throw where.fail("a remote server has \"url\" (and \"headers\"), not \"command\", \"args\" or \"env\"");
            }
            url = url(node.get("url"), where.at("url"));
            headers = stringMap(node.get("headers"), where.at("headers"), HEADER_NAME, "an HTTP header name");
            headers.forEach((header, value) -> {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw where.at("headers").at(header).fail("a header value cannot hold a line break");
                }
            });
        }
        Set<String> tenants = stringSet(node.get("tenants"), where.at("tenants"));
        if (node.has("tenants") && tenants.isEmpty()) {
            throw where.at("tenants").fail("an empty list would let no tenant use the server: remove the key to "
                    + "let every tenant, or set \"disabled\": true");
        }
        Set<String> allow = stringSet(node.get("allowTools"), where.at("allowTools"));
        Set<String> deny = stringSet(node.get("denyTools"), where.at("denyTools"));
        Set<String> both = new LinkedHashSet<>(allow);
        both.retainAll(deny);
        if (!both.isEmpty()) {
            throw where.fail("tools both allowed and denied: " + String.join(", ", both));
        }
        JsonNode disabled = node.get("disabled");
        if (disabled != null && !disabled.isBoolean()) {
            throw where.at("disabled").fail("must be true or false");
        }
        return new McpServerSpec(name, transport, command, env, url, headers, timeout(node.get("timeoutMs"),
                where.at("timeoutMs")), stringSet(node.get("idempotentTools"), where.at("idempotentTools")), tenants,
                allow, deny, stringSet(node.get("approvalTools"), where.at("approvalTools")),
                disabled != null && disabled.booleanValue());
    }

    private static McpTransportKind transport(JsonNode node, Where where, boolean hasCommand, boolean hasUrl) {
        JsonNode type = node.get("type");
        if (type != null) {
            String value = type.isTextual() ? type.textValue().toLowerCase(Locale.ROOT) : "";
            return switch (value) {
                case "stdio" -> McpTransportKind.STDIO;
                case "http", "streamable-http", "streamablehttp" -> McpTransportKind.HTTP;
                case "sse" -> throw where.at("type").fail("the legacy HTTP+SSE transport is not supported: give the "
                        + "server's Streamable HTTP endpoint with \"type\": \"http\"");
                default -> throw where.at("type").fail("must be \"stdio\" or \"http\"");
            };
        }
        if (hasCommand == hasUrl) {
            throw where.fail(hasCommand ? "has both \"command\" and \"url\": a server is either local or remote"
                    : "needs \"command\" (a local server) or \"url\" (a remote one)");
        }
        return hasCommand ? McpTransportKind.STDIO : McpTransportKind.HTTP;
    }

    private static URI url(JsonNode node, Where where) {
        String text = nonBlank(node, where);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw where.fail("must be an http:// or https:// URL with a host, not '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw where.fail("not a URL: " + e.getMessage());
        }
    }

    private static Optional<Duration> timeout(JsonNode node, Where where) {
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > MAX_TIMEOUT_MS) {
            throw where.fail("must be a whole number of milliseconds from 1 to " + MAX_TIMEOUT_MS);
        }
        return Optional.of(Duration.ofMillis(node.asLong()));
    }

    private static String nonBlank(JsonNode node, Where where) {
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            throw where.fail("must be a non-empty string");
        }
        return node.textValue();
    }

    private static List<String> strings(JsonNode node, Where where) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw where.fail("must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw where.at(Integer.toString(i)).fail("must be a string");
            }
            values.add(item.textValue());
        }
        return values;
    }

    private static Set<String> stringSet(JsonNode node, Where where) {
        List<String> values = strings(node, where);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).isBlank()) {
                throw where.at(Integer.toString(i)).fail("must not be blank");
            }
        }
        return Set.copyOf(values);
    }

    private Map<String, String> stringMap(JsonNode node, Where where, Pattern keys, String what) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw where.fail("must be an object of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(entry -> {
            Where field = where.at(entry.getKey());
            if (!keys.matcher(entry.getKey()).matches()) {
                throw field.fail("not " + what);
            }
            if (!entry.getValue().isTextual()) {
                throw field.fail("must be a string");
            }
            values.put(entry.getKey(), resolve(entry.getValue().textValue(), field));
        });
        return Map.copyOf(values);
    }

    /** {@code ${VAR}} becomes the variable's value; a variable that is not set is an error, never "". */
    private String resolve(String value, Where where) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            if (!ENV_NAME.matcher(variable).matches()) {
                throw where.fail("'${" + variable + "}' is not an environment variable reference");
            }
            String found = environment.apply(variable);
            if (found == null) {
                throw where.fail("refers to ${" + variable + "}, which is not set in the environment");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(found));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    /** Names the field an error is about: {@code source: mcpServers.github.headers.Authorization: …}. */
    private record Where(String source, String path) {
        Where at(String key) {
            return new Where(source, path + "." + key);
        }

        McpConfigException fail(String problem) {
            return new McpConfigException(source + ": " + path + ": " + problem);
        }
    }
}
