package dev.agentruntime.store;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 31: a key prefix with a brace would make it every key's hash tag, one slot for the whole store. */
class StoreKeyPrefixTest {

    @Test
    void aBraceInTheKeyPrefixRefusesStartOnACluster_only() {
        assertThatThrownBy(() -> StoreProducer.checkKeyPrefix("app{1}:", true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("AGENT_STORE_KEY_PREFIX must not contain '{' or '}' on Redis Cluster, not app{1}:");
        assertThatCode(() -> StoreProducer.checkKeyPrefix("app{1}:", false)).doesNotThrowAnyException();
        assertThatCode(() -> StoreProducer.checkKeyPrefix("agent:", true)).doesNotThrowAnyException();
    }
}
