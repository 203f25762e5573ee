package dev.agentruntime;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, item 12: failsafe always passed the native binary's path to the process-starting ITs, so a plain
 * {@code ./mvnw verify} tested a stale {@code target/*-runner} left by an earlier native build instead of the jar.
 */
class BuildConfigurationTest {

    @Test
    void theItsGetTheNativeBinaryOnlyUnderTheNativeProfile() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        String profiles = pom.substring(pom.indexOf("<profiles>"));
        String outsideProfiles = pom.substring(0, pom.indexOf("<profiles>"));
        String nativeProfile = profiles.substring(profiles.indexOf("<id>native</id>"));

        assertThat(outsideProfiles).contains("<native.image.path>${it.native.image.path}</native.image.path>")
                .contains("<it.native.image.path></it.native.image.path>")
                .doesNotContain("-runner</native.image.path>");
        assertThat(nativeProfile.substring(0, nativeProfile.indexOf("</profile>")))
                .contains("<it.native.image.path>${project.build.directory}/${project.build.finalName}-runner");
    }
}
