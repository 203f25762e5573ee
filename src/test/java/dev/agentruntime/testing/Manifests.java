package dev.agentruntime.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * deploy/k8s read the way Kubernetes and kustomize read it, into fabric8's typed Kubernetes model. A field Kubernetes
 * does not have fails the read: fabric8 would keep it in {@code additionalProperties}, this reader has no such place.
 */
public final class Manifests {

    public static final Path K8S = Path.of("deploy", "k8s");
    public static final Path BASE = K8S.resolve("base");
    public static final Path JVM = K8S.resolve("overlays").resolve("jvm");

    /** The kinds deploy/k8s uses, each with its apiVersion: another kind or version fails the read. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private static final ObjectMapper YAML = strict();

    /** A kustomization.yaml: only the fields deploy/k8s uses, so a misspelt or unexpected one fails too. */
    public record Kustomization(String apiVersion, String kind, List<String> resources, List<Patch> patches,
                                List<Image> images, List<SecretGenerator> secretGenerator) {
        public Kustomization {
            resources = resources == null ? List.of() : resources;
            patches = patches == null ? List.of() : patches;
            images = images == null ? List.of() : images;
            secretGenerator = secretGenerator == null ? List.of() : secretGenerator;
        }
    }

    public record Patch(String path) {
    }

    public record Image(String name, String newName, String newTag) {
    }

    public record SecretGenerator(String name, List<String> envs) {
    }

    private Manifests() {
    }

    public static Kustomization kustomization(Path folder) {
        try {
            return YAML.readValue(Files.readString(folder.resolve("kustomization.yaml")), Kustomization.class);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + "/kustomization.yaml: " + e.getMessage(), e);
        }
    }

    /** Every document of the YAML files a kustomization lists, typed. */
    public static List<HasMetadata> resources(Path folder) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String file : kustomization(folder).resources()) {
            resources.addAll(read(folder.resolve(file)));
        }
        return resources;
    }

    /** The typed documents of one YAML file. */
    public static List<HasMetadata> read(Path file) {
        List<HasMetadata> documents = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(Files.readString(file))) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                String kind = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(kind);
                if (type == null) {
                    throw new IllegalArgumentException(file + ": a kind this reader does not know: " + kind);
                }
                documents.add(YAML.treeToValue(document, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** A strategic-merge patch file, typed like the resource it patches. */
    public static <T extends HasMetadata> T patch(Path file, Class<T> type) {
        return type.cast(read(file).get(0));
    }

    public static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast)
                .filter(resource -> resource.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    public static <T extends HasMetadata> List<T> all(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * A file of {@code KEY=VALUE} lines as kustomize's secretGenerator reads it ({@code envs}): no quoting, no
     * expansion, {@code #} lines and blank lines skipped, the value everything after the first {@code =}.
     */
    public static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
                }
                values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public Boolean hasAnySetter(Annotated annotated) {
                return Boolean.FALSE;
            }

        });
        return mapper;
    }
}
