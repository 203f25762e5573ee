package dev.agentruntime;

import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration keys that name a class and method in a string ({@code quarkus.fault-tolerance."a.b.C/m".retry…})
 * are the one place where a rename silently drops a setting: SmallRye would simply find nothing to configure. Every
 * such key must name an existing method that carries the fault-tolerance annotation it configures.
 */
class ConfigKeysTest {

    private static final Pattern FT_KEY = Pattern.compile(
            "^quarkus\\.fault-tolerance\\.\"([\\w.]+)/(\\w+)\"\\.([a-z-]+)\\.", Pattern.MULTILINE);

    @Test
    void everyFaultToleranceKeyNamesAnAnnotatedMethod() throws Exception {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Matcher key = FT_KEY.matcher(properties);
        Set<String> checked = new LinkedHashSet<>();
        while (key.find()) {
            Class<?> owner = Class.forName(key.group(1));
            Method method = Arrays.stream(owner.getDeclaredMethods()).filter(m -> m.getName().equals(key.group(2)))
                    .findFirst().orElse(null);
            assertThat(method).as("%s/%s named in application.properties", key.group(1), key.group(2)).isNotNull();
            assertThat(Arrays.stream(method.getAnnotations()).map(Annotation::annotationType)
                    .map(Class::getSimpleName).map(ConfigKeysTest::kebab))
                    .as("%s/%s carries the annotation %s configures", key.group(1), key.group(2), key.group(3))
                    .contains(key.group(3));
            checked.add(key.group(1) + "/" + key.group(2));
        }
        assertThat(checked).as("keys found").contains("dev.agentruntime.execution.StepInvoker/invoke",
                "dev.agentruntime.planning.LlmPlanner/plan");
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
