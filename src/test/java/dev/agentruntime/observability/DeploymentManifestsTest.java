package dev.agentruntime.observability;

import dev.agentruntime.testing.Management;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests and docker-compose.yml cannot drift from the app: their probe paths answer, their ports
 * are the app's port, and every variable they set is one the app reads and .env.example documents.
 */
@QuarkusTest
class DeploymentManifestsTest {

    private static final Path K8S = Path.of("deploy", "k8s");

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(K8S.resolve("kustomization.yaml")));
        Set<String> listed = new HashSet<>(strings(kustomization.get("resources")));
        try (Stream<Path> files = Files.list(K8S)) {
            Set<String> present = new HashSet<>(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).toList());
            assertThat(listed).isEqualTo(present);
        }
        assertThat(kinds()).contains("Deployment", "Service", "ConfigMap", "Secret", "StatefulSet",
                "HorizontalPodAutoscaler", "PodDisruptionBudget");
    }

    @Test
    void theDeploymentProbesPathsTheAppServesOnThePortItListensOn() throws IOException {
        Map<String, Object> deployment = document("Deployment", "agent-runtime");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(2);
        Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        Map<String, Object> container = map(list(pod.get("containers")).get(0));

        int port = (int) map(list(container.get("ports")).get(0)).get("containerPort");
        int managementPort = (int) map(list(container.get("ports")).get(1)).get("containerPort");
        assertThat(map(list(container.get("ports")).get(1)).get("name")).isEqualTo("management");
        assertThat(envValue(container, "QUARKUS_HTTP_PORT")).isEqualTo(Integer.toString(port));
        // The port the packaged app listens on (tests run on the test port instead).
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        assertThat(port).isEqualTo(Integer.parseInt(properties.getProperty("quarkus.http.port")));
        assertThat(managementPort).isEqualTo(Integer.parseInt(properties.getProperty("quarkus.management.port")));
        // The public Service exposes the API only; probes and metrics stay on the management port.
        assertThat(list(at(document("Service", "agent-runtime"), "spec", "ports"))).hasSize(1);

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = (String) at(container, probe, "httpGet", "path");
            Management.given().get(path).then().statusCode(200);
            assertThat(at(container, probe, "httpGet", "port")).isEqualTo("management");
        }
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/q/health/ready");
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/q/health/live");
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(map(at(container, "resources", "requests"))).containsKeys("cpu", "memory");
        assertThat(map(at(container, "resources", "limits"))).containsKeys("cpu", "memory");

        Map<String, Object> service = document("Service", "agent-runtime");
        assertThat(map(list(at(service, "spec", "ports")).get(0)).get("targetPort"))
                .isEqualTo(map(list(container.get("ports")).get(0)).get("name"));
        assertThat(at(document("ConfigMap", "agent-runtime"), "data", "QUARKUS_REDIS_HOSTS"))
                .isEqualTo("redis://agent-runtime-redis:6379");
    }

    @Test
    void composeRunsTheAppOnRedisAndChecksReadiness() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        Map<String, Object> app = map(at(compose, "services", "agent-runtime"));
        Map<String, Object> env = map(app.get("environment"));
        assertThat(env.get("AGENT_STORE")).isEqualTo("redis");
        assertThat(String.valueOf(env.get("QUARKUS_REDIS_HOSTS"))).startsWith("redis://redis:");
        assertThat(String.join(" ", strings(at(app, "healthcheck", "test"))))
                .contains(":9000/q/health/ready");
        assertThat(strings(app.get("ports"))).contains(env.get("QUARKUS_HTTP_PORT") + ":" + env.get("QUARKUS_HTTP_PORT"));
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void everyVariableTheManifestsSetIsReadByTheAppAndDocumented() throws IOException {
        Set<String> names = new HashSet<>();
        Map<String, Object> container = map(list(at(document("Deployment", "agent-runtime"),
                "spec", "template", "spec", "containers")).get(0));
        list(container.get("env")).forEach(e -> names.add((String) map(e).get("name")));
        names.addAll(map(at(document("ConfigMap", "agent-runtime"), "data")).keySet());
        names.addAll(map(at(document("Secret", "agent-runtime-secrets"), "stringData")).keySet());
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        names.addAll(map(at(compose, "services", "agent-runtime", "environment")).keySet());

        String properties = Files.readString(Path.of("src", "main", "resources", "application.properties"));
        String envExample = Files.readString(Path.of(".env.example"));
        Set<String> readByApp = new HashSet<>();
        ConfigProvider.getConfig().getPropertyNames().forEach(p -> readByApp.add(p.toUpperCase()
                .replaceAll("[^A-Z0-9]", "_")));
        for (String name : names) {
            assertThat(properties.contains("${" + name + ":") || readByApp.contains(name))
                    .as("%s is read by the app", name).isTrue();
            assertThat(envExample).as("%s is documented in .env.example", name).contains(name + "=");
        }
    }

    private static List<Map<String, Object>> documents() throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add(map(document));
                    }
                }
            }
        }
        return documents;
    }

    private static List<String> kinds() throws IOException {
        return documents().stream().map(d -> (String) d.get("kind")).toList();
    }

    private static Map<String, Object> document(String kind, String name) throws IOException {
        return documents().stream()
                .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static String envValue(Map<String, Object> container, String name) {
        return list(container.get("env")).stream().map(DeploymentManifestsTest::map)
                .filter(e -> name.equals(e.get("name"))).map(e -> (String) e.get("value")).findFirst().orElseThrow();
    }

    private static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            current = map(current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return (List<Object>) node;
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(String::valueOf).toList();
    }
}
