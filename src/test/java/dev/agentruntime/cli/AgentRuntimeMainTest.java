package dev.agentruntime.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentRuntimeMainTest {

    @Test
    void servesWithNoArgumentsServeOrSystemPropertiesAsTheContainersStartIt() {
        assertThat(AgentRuntimeMain.serves()).isTrue();
        assertThat(AgentRuntimeMain.serves("serve")).isTrue();
        assertThat(AgentRuntimeMain.serves("-Dquarkus.http.host=0.0.0.0")).as("Dockerfile.native's entry point")
                .isTrue();
        assertThat(AgentRuntimeMain.serves("serve", "-Dquarkus.http.port=8081")).isTrue();
    }

    @Test
    void anythingElseIsACommand() {
        assertThat(AgentRuntimeMain.serves("run", "calculate 1 + 1")).isFalse();
        assertThat(AgentRuntimeMain.serves("--help")).isFalse();
        assertThat(AgentRuntimeMain.serves("serve", "--help")).isFalse();
        assertThat(AgentRuntimeMain.serves("-Dx=y", "runs", "list")).isFalse();
    }
}
