package dev.catena.s3.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets sealed at rest: they open only with the same cluster key, for the same key id, unaltered.
 */
class SecretCipherTest {
  @TempDir Path dir;

  @Test
  void sealedSecretsOpenOnlyWithTheirClusterKeyAndId() throws IOException {
    Path file = dir.resolve("cluster.key");
    SecretCipher.createKeyFile(file, new SecureRandom());
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    SecretCipher c = SecretCipher.fromFile(file);

    byte[] sealed = c.seal("AK1", "s3cr3t/with+chars");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
    assertThat(c.open("AK1", sealed)).isEqualTo("s3cr3t/with+chars");
    // a fresh nonce each time
    assertThat(c.seal("AK1", "s3cr3t/with+chars")).isNotEqualTo(sealed);

    assertThatThrownBy(() -> c.open("AK2", sealed)).isInstanceOf(IllegalArgumentException.class);
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> c.open("AK1", tampered)).isInstanceOf(IllegalArgumentException.class);
    Path other = dir.resolve("other.key");
    SecretCipher.createKeyFile(other, new SecureRandom());
    assertThatThrownBy(() -> SecretCipher.fromFile(other).open("AK1", sealed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not open with this cluster key");
  }

  @Test
  void aKeyFileIsNeverOverwrittenAndMustHoldThirtyTwoBytes() throws IOException {
    Path file = dir.resolve("k");
    SecretCipher.createKeyFile(file, new SecureRandom());
    assertThatThrownBy(() -> SecretCipher.createKeyFile(file, new SecureRandom()))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    Path shortFile = dir.resolve("short");
    Files.write(shortFile, new byte[16]);
    assertThatThrownBy(() -> SecretCipher.fromFile(shortFile))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must be 32 bytes");
  }

  @Test
  void accessKeysAreLimitedToTheirBucketsAndNeverPrintTheirSecret() {
    var k = new AccessKey("AK", "secret-value", java.util.Set.of("alpha"));
    assertThat(k.allows("alpha")).isTrue();
    assertThat(k.allows("beta")).isFalse();
    assertThat(new AccessKey("AK", "s", java.util.Set.of("*")).allows("beta")).isTrue();
    assertThat(k.toString()).doesNotContain("secret-value");
    var g = AccessKey.generate(new SecureRandom(), java.util.Set.of("*"));
    assertThat(g.id()).matches("CK[A-Z0-9]{18}");
    assertThat(g.secret()).hasSize(40);
    assertThatThrownBy(() -> new AccessKey("AK", "s", java.util.Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
