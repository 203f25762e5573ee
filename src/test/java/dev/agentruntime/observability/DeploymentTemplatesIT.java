package dev.agentruntime.observability;

import dev.agentruntime.testing.RunKeyNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.testing.AppProcess;
import dev.agentruntime.testing.AppProcess.Launch;
import dev.agentruntime.testing.Manifests;
import dev.agentruntime.testing.RedisProcess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27: the templates start the packaged application as shipped, read the way their users read them. Before,
 * every one of them stopped it at start (SRCFG00040: OPENAI_API_KEY= is "defined as the empty String"), and the
 * Kubernetes Secret's placeholder was a working key. Only the two ports are changed (to free ones), and the address
 * of Redis where a template names a host that exists only inside compose or a cluster.
 */
class DeploymentTemplatesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** {@code cp .env.example .env; set -a; . ./.env; set +a; java -jar …}, with nothing else in the environment. */
    @Test
    void dotEnvExampleLoadedAsItsFirstLinesSayStartsAndAnswersARun() throws Exception {
        Map<String, String> environment = sourced(Path.of(".env.example"));
        assertThat(environment).containsEntry("OPENAI_API_KEY", "").containsEntry("AGENT_API_KEYS", "")
                .containsEntry("AGENT_STORE", "memory").containsEntry("AGENT_AUTH", "off");

        try (AppProcess app = AppProcess.start("it-env-example", Launch.exactly(environment).in(emptyFolder()))) {
            JsonNode run = run(app, null);
            assertThat(run.path("status").asText()).isEqualTo("completed");
            assertThat(run.path("result").asInt()).isEqualTo(42);
            assertThat(health(app).path("planner").asText()).isEqualTo("rules");
        }
    }

    /** {@code cp .env.example .env && java -jar …} in that folder: Quarkus reads ./.env itself. */
    @Test
    void dotEnvInTheWorkingFolderStartsAndAnswersARun() throws Exception {
        Path folder = emptyFolder();
        Files.copy(Path.of(".env.example"), folder.resolve(".env"));
        try (AppProcess app = AppProcess.start("it-dotenv", Launch.exactly(Map.of()).in(folder))) {
            assertThat(run(app, null).path("status").asText()).isEqualTo("completed");
        }
    }

    /** {@code cp .env.example .env && docker compose up}: .env as env_file, then the service's own environment. */
    @Test
    void composeEnvironmentWithNoEditStartsOnRedisWithoutAuth() throws Exception {
        Map<String, String> environment = new LinkedHashMap<>(Manifests.envFile(Path.of(".env.example")));
        environment.putAll(composeEnvironment());
        try (RedisProcess redis = new RedisProcess()) {
            redis.start();
            assertThat(environment.put("QUARKUS_REDIS_HOSTS", redis.uri())).isEqualTo("redis://redis:6379");
            try (AppProcess app = AppProcess.start("it-compose", Launch.exactly(environment))) {
                assertThat(run(app, null).path("status").asText()).isEqualTo("completed");
                assertThat(health(app).path("store").asText()).isEqualTo("redis");
            }
        }
    }

    /** The ConfigMap, the Deployment's env and the Secret made from secrets.env.example, unedited. */
    @Test
    void kubernetesAsShippedRefusesThePlaceholdersWithOneLine() throws Exception {
        String log = AppProcess.refusesToStart("it-k8s-shipped", Launch.exactly(kubernetesEnvironment(
                Manifests.envFile(Manifests.BASE.resolve("secrets.env.example")))), Duration.ofSeconds(60));

        assertThat(log).contains("AGENT_API_KEYS, QUARKUS_REDIS_PASSWORD (the environment) still hold the "
                + "template's placeholder (replace-me)").doesNotContain("tenant-equals-key-pairs")
                .doesNotContain("with-a-long-random-password").doesNotContain("SRCFG00040");
        assertThat(log.lines().filter(line -> line.contains("placeholder"))).hasSize(1);
    }

    /** The same with an operator's secrets.env: real keys, a Redis password, no model key (rules only). */
    @Test
    void kubernetesWithTheOperatorsSecretsStartsOnAPasswordProtectedRedis() throws Exception {
        String key = "acme-" + UUID.randomUUID();
        String password = UUID.randomUUID().toString();
        Map<String, String> secrets = operatorSecrets(key, password);
        try (RedisProcess redis = new RedisProcess(password)) {
            redis.start();
            assertThat(redis.pingWithoutPassword()).startsWith("-NOAUTH");
            Map<String, String> environment = kubernetesEnvironment(secrets);
            environment.put("QUARKUS_REDIS_HOSTS", redis.uri());
            try (AppProcess app = AppProcess.start("it-k8s-operator", Launch.exactly(environment))) {
                assertThat(post(app, null, "calculate 6 * 7").statusCode()).isEqualTo(401);
                JsonNode run = run(app, key);
                assertThat(run.path("status").asText()).isEqualTo("completed");
                assertThat(health(app).path("store").asText()).isEqualTo("redis");
                assertThat(redis.command("EXISTS", RunKeyNames.run(run.path("run_id").asText()))).isEqualTo(":1");
            }
        }
    }

    /**
     * ADR 0026: a pod that never reached its store (here, the wrong Redis password) does not become ready, so a
     * rollout with a bad Secret stops; it answers what it can, 503 with Retry-After.
     */
    @Test
    void aWrongRedisPasswordNeverBecomesReady() throws Exception {
        String key = "acme-" + UUID.randomUUID();
        try (RedisProcess redis = new RedisProcess(UUID.randomUUID().toString())) {
            redis.start();
            Map<String, String> environment = kubernetesEnvironment(operatorSecrets(key, "not-the-password"));
            environment.put("QUARKUS_REDIS_HOSTS", redis.uri());
            try (AppProcess app = AppProcess.started("it-k8s-wrong-password", Launch.exactly(environment))) {
                Thread.sleep(3_000);
                HttpResponse<String> ready = get(app.managementUrl("/q/health/ready"), null);
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("state-store-reached");
                HttpResponse<String> refused = post(app, key, "calculate 1 + 1");
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            }
        }
    }

    private static Map<String, String> operatorSecrets(String key, String password) {
        Map<String, String> secrets = new LinkedHashMap<>(Manifests.envFile(Manifests.BASE.resolve(
                "secrets.env.example")));
        assertThat(secrets.keySet()).containsExactly("AGENT_API_KEYS", "OPENAI_API_KEY", "QUARKUS_REDIS_PASSWORD");
        secrets.put("AGENT_API_KEYS", "acme=" + key);
        secrets.put("QUARKUS_REDIS_PASSWORD", password);
        return secrets;
    }

    /** What the runtime's container gets: envFrom in order (the ConfigMap, then the Secret), then its env. */
    private static Map<String, String> kubernetesEnvironment(Map<String, String> secret) {
        var resources = Manifests.resources(Manifests.BASE);
        Map<String, String> environment = new HashMap<>(Manifests.one(resources, ConfigMap.class, "agent-runtime")
                .getData());
        environment.putAll(secret);
        Manifests.one(resources, Deployment.class, "agent-runtime").getSpec().getTemplate().getSpec().getContainers()
                .get(0).getEnv().forEach(variable -> environment.put(variable.getName(), variable.getValue()));
        assertThat(environment).containsEntry("OPENAI_API_KEY", "").containsEntry("AGENT_AUTH", "api-key");
        return environment;
    }

    /** The variables a POSIX shell exports after {@code set -a; . ./.env}, in a folder where .env is the file. */
    private static Map<String, String> sourced(Path file) throws IOException, InterruptedException {
        Path folder = emptyFolder();
        Files.copy(file, folder.resolve(".env"));
        Map<String, String> before = shell(folder, "env -0");
        Map<String, String> after = shell(folder, "set -a; . ./.env; set +a; env -0");
        before.keySet().forEach(after::remove);
        return after;
    }

    private static Map<String, String> shell(Path folder, String script) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).directory(folder.toFile());
        builder.environment().clear();
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(new String(process.getErrorStream().readAllBytes())).isZero();
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : out.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                variables.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return variables;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> composeEnvironment() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) compose.get("services"))
                .get("agent-runtime");
        Map<String, String> environment = new LinkedHashMap<>();
        ((Map<String, Object>) service.get("environment")).forEach((k, v) -> environment.put(k, String.valueOf(v)));
        return environment;
    }

    private static Path emptyFolder() throws IOException {
        return Files.createTempDirectory(Path.of("target"), "templates-").toAbsolutePath();
    }

    private static JsonNode run(AppProcess app, String key) throws IOException, InterruptedException {
        HttpResponse<String> created = post(app, key, "calculate 6 * 7");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private static HttpResponse<String> post(AppProcess app, String key, String prompt)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url("/api/v1/runs")))
                .header("Content-Type", "application/json").header("Prefer", "wait=10")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("prompt", prompt))));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode health(AppProcess app) throws IOException, InterruptedException {
        return JSON.readTree(get(app.url("/api/v1/health"), null).body());
    }

    private static HttpResponse<String> get(String url, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
