package dev.agentruntime.observability;

import dev.agentruntime.testing.Management;
import dev.agentruntime.testing.Manifests;
import dev.agentruntime.testing.Manifests.Kustomization;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * deploy/k8s and docker-compose.yml cannot drift from the app (issue 27): read into fabric8's Kubernetes model with
 * unknown fields refused, the kustomizations resolve (every file, patch, image and Secret they name exists or is the
 * operator's), the probes answer on the port they name, the images are built from Dockerfiles that exist, Redis has
 * a password and persistence, the NetworkPolicies admit only who should get in, and every variable set is one the
 * app reads and .env.example documents.
 */
@QuarkusTest
class DeploymentManifestsTest {

    private static final String RUNTIME = "agent-runtime";
    private static final String REDIS = "agent-runtime-redis";
    private static final String SECRET = "agent-runtime-secrets";

    @Test
    void theReaderRefusesAFieldKubernetesDoesNotHave() throws IOException {
        Path misspelt = Files.createTempFile("deployment", ".yaml");
        Files.writeString(misspelt, Files.readString(Manifests.BASE.resolve("deployment.yaml"))
                .replace("readinessProbe:", "readynessProbe:"));
        assertThatThrownBy(() -> Manifests.read(misspelt)).hasMessageContaining("readynessProbe");
    }

    @Test
    void theKustomizationsResolve() throws IOException {
        Kustomization base = Manifests.kustomization(Manifests.BASE);
        try (Stream<Path> files = Files.list(Manifests.BASE)) {
            assertThat(base.resources()).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList());
        }
        List<HasMetadata> resources = Manifests.resources(Manifests.BASE);
        assertThat(resources).extracting(HasMetadata::getKind).contains("Deployment", "Service", "ConfigMap",
                "StatefulSet", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget");
        assertThat(resources).extracting(HasMetadata::getKind).doesNotContain("Secret");

        // The Secret is generated from the operator's file, which is never committed; its template is.
        assertThat(base.secretGenerator()).singleElement().satisfies(generator -> {
            assertThat(generator.name()).isEqualTo(SECRET);
            assertThat(generator.envs()).containsExactly("secrets.env");
        });
        assertThat(Manifests.BASE.resolve("secrets.env.example")).exists();
        assertThat(Files.readAllLines(Path.of(".gitignore"))).contains("deploy/k8s/base/secrets.env");

        // Both variants build on the base; the JVM one patches the Deployment's container by name.
        for (Path variant : List.of(Manifests.K8S, Manifests.JVM)) {
            Kustomization kustomization = Manifests.kustomization(variant);
            assertThat(kustomization.resources()).singleElement()
                    .satisfies(ref -> assertThat(variant.resolve(ref).normalize()).isEqualTo(Manifests.BASE));
            kustomization.patches().forEach(patch -> {
                Deployment patched = Manifests.patch(variant.resolve(patch.path()), Deployment.class);
                assertThat(patched.getMetadata().getName()).isEqualTo(RUNTIME);
                assertThat(patched.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getName)
                        .containsExactly(RUNTIME);
            });
        }
        assertThat(Manifests.kustomization(Manifests.JVM).patches()).isNotEmpty();
    }

    @Test
    void theImagesAreNamedWithARegistryAndBuiltFromDockerfilesThatExist() throws IOException {
        Container runtime = runtimeContainer();
        Manifests.Image nativeImage = Manifests.kustomization(Manifests.K8S).images().get(0);
        Manifests.Image jvmImage = Manifests.kustomization(Manifests.JVM).images().get(0);
        for (Manifests.Image image : List.of(nativeImage, jvmImage)) {
            assertThat(image.name()).isEqualTo(runtime.getImage());
            assertThat(image.newName()).as("a registry, then the repository").matches("[a-z0-9.-]+(:\\d+)?/.+");
        }
        assertThat(jvmImage.newName()).isEqualTo(nativeImage.newName());
        assertThat(jvmImage.newTag()).isEqualTo(nativeImage.newTag() + "-jvm");

        // The README builds each tag from its Dockerfile and pushes it where the kustomizations look.
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("docker build -f src/main/docker/Dockerfile.native-micro -t "
                + "$REGISTRY/agent-runtime:$TAG .", "docker build -f src/main/docker/Dockerfile.jvm -t "
                + "$REGISTRY/agent-runtime:$TAG-jvm .", "docker push $REGISTRY/agent-runtime:$TAG");
        Path nativeDockerfile = Path.of("src", "main", "docker", "Dockerfile.native-micro");
        Path jvmDockerfile = Path.of("src", "main", "docker", "Dockerfile.jvm");
        for (Path dockerfile : List.of(nativeDockerfile, jvmDockerfile)) {
            Matcher user = Pattern.compile("(?m)^USER (\\d+)$").matcher(Files.readString(dockerfile));
            assertThat(user.find()).as(dockerfile + " names a numeric USER").isTrue();
            assertThat(Integer.parseInt(user.group(1))).as(dockerfile + " runs as non-root").isPositive();
        }
    }

    /** The native image copies the binary the native build writes, and starts the file it copied. */
    @Test
    void theNativeDockerfileCopiesTheBinaryTheBuildWrites() throws IOException {
        String dockerfile = Files.readString(Path.of("src", "main", "docker", "Dockerfile.native-micro"));
        Matcher copy = Pattern.compile("(?m)^COPY .*?(\\S+) (\\S+)$").matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        String pom = Files.readString(Path.of("pom.xml"));
        String runner = tag(pom, "artifactId") + "-" + tag(pom, "version") + "-runner";
        Pattern source = Pattern.compile(copy.group(1).replace(".", "\\.").replace("*", "[^/]*"));
        assertThat(source.matcher("target/" + runner).matches()).as(copy.group(1) + " matches target/" + runner)
                .isTrue();
        assertThat(pom).doesNotContain("<finalName>").doesNotContain("quarkus.package.output-name");
        Matcher workdir = Pattern.compile("(?m)^WORKDIR (\\S+)$").matcher(dockerfile);
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[\"([^\"]+)\"").matcher(dockerfile);
        assertThat(workdir.find() && entrypoint.find()).isTrue();
        assertThat(Path.of(workdir.group(1)).resolve(entrypoint.group(1)).normalize())
                .isEqualTo(Path.of(copy.group(2)));
        assertThat(Files.readString(Path.of(".dockerignore"))).contains("!target/*-runner", "!target/quarkus-app/*");
    }

    @Test
    void theDeploymentProbesPathsTheAppServesOnThePortItListensOn() throws IOException {
        List<HasMetadata> resources = Manifests.resources(Manifests.BASE);
        Deployment deployment = Manifests.one(resources, Deployment.class, RUNTIME);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = runtimeContainer();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);

        Properties shipped = applicationProperties();
        int port = containerPort(container, "http");
        int managementPort = containerPort(container, "management");
        assertThat(port).isEqualTo(Integer.parseInt(shipped.getProperty("quarkus.http.port")));
        assertThat(managementPort).isEqualTo(Integer.parseInt(shipped.getProperty("quarkus.management.port")));
        assertThat(env(container, "QUARKUS_HTTP_PORT")).isEqualTo(Integer.toString(port));
        assertThat(env(container, "QUARKUS_MANAGEMENT_PORT")).isEqualTo(Integer.toString(managementPort));

        Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(),
                "/q/health/live", container.getLivenessProbe(), "/q/health/ready", container.getReadinessProbe());
        probes.forEach((path, probe) -> {
            assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
            Management.given().get(path).then().statusCode(200);
        });

        // The public Service exposes the API only; probes and metrics stay on the management port.
        Service service = Manifests.one(resources, Service.class, RUNTIME);
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
        assertThat(Manifests.one(resources, ConfigMap.class, RUNTIME).getData().get("QUARKUS_REDIS_HOSTS"))
                .isEqualTo("redis://" + REDIS + ":6379");

        // Non-root, read-only root filesystem, no privilege, for the runtime and Redis alike.
        StatefulSet redis = Manifests.one(resources, StatefulSet.class, REDIS);
        for (PodSpec spec : List.of(pod, redis.getSpec().getTemplate().getSpec())) {
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
            Container c = spec.getContainers().get(0);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        }
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(container.getEnvFrom()).extracting(from -> from.getSecretRef() == null ? null
                : from.getSecretRef().getName()).contains(SECRET);
    }

    @Test
    void redisHasAPasswordFromTheSecretAndKeepsItsDataOnAVolume() {
        StatefulSet redis = Manifests.one(Manifests.resources(Manifests.BASE), StatefulSet.class, REDIS);
        Container container = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
        String args = String.join(" ", container.getArgs());
        assertThat(args).contains("--requirepass $(REDIS_PASSWORD)", "--appendonly yes", "--dir /data",
                "--maxmemory-policy noeviction");
        for (String variable : List.of("REDIS_PASSWORD", "REDISCLI_AUTH")) {
            EnvVar env = container.getEnv().stream().filter(e -> e.getName().equals(variable)).findFirst()
                    .orElseThrow();
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(SECRET);
            // The key the runtime reads the same password from.
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("QUARKUS_REDIS_PASSWORD");
        }
        assertThat(Manifests.envFile(Manifests.BASE.resolve("secrets.env.example"))).containsKey(
                "QUARKUS_REDIS_PASSWORD");
        assertThat(redis.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim ->
                assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
                    assertThat(mount.getName()).isEqualTo(claim.getMetadata().getName());
                    assertThat(mount.getMountPath()).isEqualTo("/data");
                }));
    }

    @Test
    void onlyTheRuntimeReachesRedisOnlyTheIngressTheApiAndTheClusterTheManagementPort() {
        List<HasMetadata> resources = Manifests.resources(Manifests.BASE);
        Map<String, String> runtimeLabels = Manifests.one(resources, Deployment.class, RUNTIME).getSpec()
                .getTemplate().getMetadata().getLabels();
        Map<String, String> redisLabels = Manifests.one(resources, StatefulSet.class, REDIS).getSpec().getTemplate()
                .getMetadata().getLabels();

        NetworkPolicy toRedis = Manifests.one(resources, NetworkPolicy.class, REDIS);
        assertThat(redisLabels).containsAllEntriesOf(toRedis.getSpec().getPodSelector().getMatchLabels());
        assertThat(toRedis.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(toRedis.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
                assertThat(peer.getNamespaceSelector()).isNull();
                assertThat(runtimeLabels).containsAllEntriesOf(peer.getPodSelector().getMatchLabels());
            });
            assertThat(rule.getPorts()).singleElement()
                    .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("redis"));
        });

        NetworkPolicy toRuntime = Manifests.one(resources, NetworkPolicy.class, RUNTIME);
        assertThat(runtimeLabels).containsAllEntriesOf(toRuntime.getSpec().getPodSelector().getMatchLabels());
        assertThat(toRuntime.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<NetworkPolicyIngressRule> rules = toRuntime.getSpec().getIngress();
        assertThat(rules).hasSize(2);
        NetworkPolicyIngressRule api = rule(rules, "http");
        assertThat(api.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector()).isNull();
            assertThat(peer.getNamespaceSelector().getMatchLabels()).containsOnlyKeys("kubernetes.io/metadata.name");
        });
        NetworkPolicyIngressRule management = rule(rules, "management");
        assertThat(management.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector()).isNull();
            // {}: every namespace of the cluster, and nothing from outside it.
            assertThat(peer.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(peer.getIpBlock()).isNull();
        });
        // Each named port is one the pods have.
        assertThat(containerPort(runtimeContainer(), "http")).isPositive();
        assertThat(containerPort(runtimeContainer(), "management")).isPositive();
        assertThat(containerPort(Manifests.one(resources, StatefulSet.class, REDIS).getSpec().getTemplate().getSpec()
                .getContainers().get(0), "redis")).isEqualTo(6379);
    }

    @Test
    void composeStartsWithoutAuthOnThisMachineOnlyAndChecksReadiness() throws IOException {
        Map<String, Object> app = composeService();
        Map<String, Object> env = map(app.get("environment"));
        assertThat(env.get("AGENT_STORE")).isEqualTo("redis");
        assertThat(String.valueOf(env.get("QUARKUS_REDIS_HOSTS"))).startsWith("redis://redis:");
        // Authentication comes from .env (off in .env.example), so every published port stays on loopback.
        assertThat(env).doesNotContainKey("AGENT_AUTH");
        assertThat(Manifests.envFile(Path.of(".env.example"))).containsEntry("AGENT_AUTH", "off");
        assertThat(strings(app.get("ports"))).isNotEmpty().allMatch(port -> port.startsWith("127.0.0.1:"));
        assertThat(strings(app.get("ports"))).contains("127.0.0.1:" + env.get("QUARKUS_HTTP_PORT") + ":"
                + env.get("QUARKUS_HTTP_PORT"));
        assertThat(String.join(" ", strings(map(app.get("healthcheck")).get("test"))))
                .contains(":9000/q/health/ready");
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    /**
     * Each build's heap leaves its non-heap memory room inside the pod's limit (issue 32; bench/memory.sh measured
     * the JVM's non-heap at ~93 MB committed, the native binary's RSS at its heap plus ~40 MB). Without a policy the
     * JVM image's run-java.sh sizes the heap at 80% of the limit, and the native binary at 80% of the memory it sees.
     */
    @Test
    void eachBuildsHeapLeavesRoomInsideItsMemoryLimit() throws IOException {
        Container nativeContainer = runtimeContainer();
        long nativeLimit = mebibytes(nativeContainer);
        Matcher xmx = Pattern.compile("^-Xmx(\\d+)m$").matcher(String.join("\n", nativeContainer.getArgs()));
        assertThat(xmx.find()).as("the native binary's max heap is set: %s", nativeContainer.getArgs()).isTrue();
        assertThat(Long.parseLong(xmx.group(1))).isLessThanOrEqualTo(nativeLimit / 2);

        Path jvmPatch = Manifests.JVM.resolve("deployment-jvm.yaml");
        Container jvm = Manifests.patch(jvmPatch, Deployment.class).getSpec().getTemplate().getSpec().getContainers()
                .get(0);
        long jvmLimit = mebibytes(jvm);
        long heap = jvmLimit * Long.parseLong(env(jvm, "JAVA_MAX_MEM_RATIO")) / 100;
        assertThat(jvmLimit - heap).as("MiB left beside a %d MiB heap", heap).isGreaterThanOrEqualTo(256);
        // The JVM image's run-java.sh hands container arguments to the app's command line, which refuses -Xmx128m
        // (the JVM would not start): the overlay removes the native binary's arguments.
        assertThat(Files.readString(jvmPatch)).containsPattern("(?m)^ +args: null$");
    }

    private static long mebibytes(Container container) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(container.getResources().getLimits()
                .get("memory")).longValueExact() / (1024 * 1024);
    }

    @Test
    void everyVariableTheManifestsSetIsReadByTheAppAndDocumented() throws IOException {
        Set<String> names = new HashSet<>();
        List<HasMetadata> resources = Manifests.resources(Manifests.BASE);
        runtimeContainer().getEnv().forEach(e -> names.add(e.getName()));
        names.addAll(Manifests.one(resources, ConfigMap.class, RUNTIME).getData().keySet());
        names.addAll(Manifests.envFile(Manifests.BASE.resolve("secrets.env.example")).keySet());
        names.addAll(map(composeService().get("environment")).keySet());
        assertThat(names).contains("QUARKUS_REDIS_PASSWORD", "AGENT_API_KEYS", "OPENAI_API_KEY");

        String properties = Files.readString(Path.of("src", "main", "resources", "application.properties"));
        String envExample = Files.readString(Path.of(".env.example"));
        Set<String> readByApp = new HashSet<>();
        ConfigProvider.getConfig().getPropertyNames().forEach(p -> readByApp.add(envName(p)));
        readByApp.addAll(quarkusProperties());
        for (String name : names) {
            assertThat(properties.contains("${" + name + ":") || readByApp.contains(name))
                    .as("%s is read by the app", name).isTrue();
            assertThat(envExample).as("%s is documented in .env.example", name).contains("\n" + name + "=");
        }
    }

    /** The environment-variable form of every property a Quarkus extension on the class path declares. */
    private static Set<String> quarkusProperties() throws IOException {
        Set<String> names = new HashSet<>();
        Pattern property = Pattern.compile("\"(quarkus\\.[a-z0-9.-]+)\"");
        Enumeration<URL> models = Thread.currentThread().getContextClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                Matcher m = property.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(envName(m.group(1)));
                }
            }
        }
        assertThat(names).contains("QUARKUS_REDIS_PASSWORD", "QUARKUS_HTTP_PORT");
        return names;
    }

    private static String envName(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static NetworkPolicyIngressRule rule(List<NetworkPolicyIngressRule> rules, String port) {
        return rules.stream().filter(r -> r.getPorts().size() == 1
                && port.equals(r.getPorts().get(0).getPort().getStrVal())).findFirst()
                .orElseThrow(() -> new AssertionError("no rule for port " + port));
    }

    private static Container runtimeContainer() {
        return Manifests.one(Manifests.resources(Manifests.BASE), Deployment.class, RUNTIME).getSpec().getTemplate()
                .getSpec().getContainers().stream().filter(c -> c.getName().equals(RUNTIME)).findFirst()
                .orElseThrow();
    }

    private static int containerPort(Container container, String name) {
        return container.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name));
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow();
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static String tag(String pom, String name) {
        // The project's own coordinates: the first of each after the parent-less header.
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(
                pom.substring(pom.indexOf("<groupId>dev.agentruntime</groupId>")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static Map<String, Object> composeService() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        return map(map(compose.get("services")).get(RUNTIME));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object node) {
        return new ArrayList<>(((List<Object>) node).stream().map(String::valueOf).toList());
    }
}
