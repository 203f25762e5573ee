package dev.agentruntime.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hash and the tenant-scoped id keep the forms already stored: a digest in lower-case hex, {@code tenant/key}. */
class Sha256AndTenantKeyTest {

    @Test
    void theHexIsSha256OfTheUtf8Bytes() {
        // FIPS 180-2's test vector, and a text outside ASCII: its UTF-8 bytes, whatever the platform's charset.
        assertThat(Sha256.hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex("\u00e9"))
                .isEqualTo("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
        assertThat(Sha256.digest("abc")).hasSize(32);
    }

    @Test
    void aTenantKeyIsWrittenTenantSlashKey() {
        assertThat(new TenantKey("acme", "alice").id()).isEqualTo("acme/alice");
        assertThat(new TenantKey("acme", "cli:bob").id()).isEqualTo("acme/cli:bob");
        assertThat(new TenantKey("acme", "k")).isEqualTo(new TenantKey("acme", "k"))
                .isNotEqualTo(new TenantKey("beta", "k"));
        assertThatThrownBy(() -> new TenantKey(null, "k")).isInstanceOf(NullPointerException.class);
    }
}
