package dev.catena.s3.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts S3 secret keys at rest with a cluster key (AES-256-GCM, JDK crypto). A sealed secret is
 * {@code nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)}; the access key id is the associated data,
 * so a sealed secret moved to another key id fails to open. The cluster key is 32 random bytes in a
 * file readable only by its owner ({@link #createKeyFile}); without it, what ZooKeeper holds
 * reveals nothing about the secrets.
 */
public final class SecretCipher {
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int KEY_BYTES = 32;

  private final SecretKey key;
  private final SecureRandom random;

  public SecretCipher(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the cluster key must be 32 bytes, got " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = random;
  }

  /** A cipher with the key read from {@code file}; a file of another size is refused. */
  public static SecretCipher fromFile(Path file) throws IOException {
    byte[] k = Files.readAllBytes(file);
    try {
      return new SecretCipher(k, new SecureRandom());
    } catch (IllegalArgumentException e) {
      throw new IOException("key file " + file + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** Writes a new random cluster key to {@code file} (owner read/write only); never overwrites. */
  public static void createKeyFile(Path file, SecureRandom random) throws IOException {
    byte[] k = new byte[KEY_BYTES];
    random.nextBytes(k);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.write(file, k);
    Arrays.fill(k, (byte) 0);
  }

  /** Seals {@code secret} for the key {@code accessKeyId}. */
  public byte[] seal(String accessKeyId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + ct.length);
      System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * Opens a sealed secret of {@code accessKeyId}.
   *
   * @throws IllegalArgumentException if it was sealed with another cluster key, for another key id,
   *     or altered
   */
  public String open(String accessKeyId, byte[] sealed) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("sealed secret of " + accessKeyId + " is too short");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 0, NONCE_BYTES)));
      c.updateAAD(accessKeyId.getBytes(StandardCharsets.UTF_8));
      byte[] pt = c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
      return new String(pt, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException(
          "secret of " + accessKeyId + " does not open with this cluster key", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }
}
