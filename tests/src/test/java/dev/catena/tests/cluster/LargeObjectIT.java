package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaClient;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.PutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §2 large objects: a 256 MiB object, streamed from a seeded generator (never held in
 * memory), is split into chunks over the chains, committed by its manifest and read back
 * byte-exact, compared through streaming SHA-256 digests.
 */
class LargeObjectIT {
  static final long SIZE = 256L << 20;

  @TempDir Path dir;

  @Test
  void object256MiBRoundTripsByteExact() throws IOException {
    try (InProcessCluster cluster =
            InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir).start();
        CatenaClient client = startAndConnect(cluster)) {
      client.createBucket("large");
      long seed = 0x5EED;
      MessageDigest sent = sha256();
      ObjectMetadata put;
      try (InputStream in = new DigestInputStream(new SeededStream(seed, SIZE), sent)) {
        put = client.putObject("large", "big.bin", in, SIZE, PutOptions.DEFAULT);
      }
      assertThat(put.size()).isEqualTo(SIZE);
      assertThat(put.chunkCount()).isEqualTo((int) (SIZE / (4 << 20)));

      MessageDigest received = sha256();
      long n = 0;
      try (ObjectContent c = client.getObject("large", "big.bin")) {
        assertThat(c.length()).isEqualTo(SIZE);
        InputStream in = c.stream();
        byte[] buf = new byte[1 << 16];
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
          received.update(buf, 0, r);
          n += r;
        }
      }
      assertThat(n).isEqualTo(SIZE);
      String receivedHex = hex(received);
      assertThat(receivedHex).isEqualTo(hex(sent));
      // The same digest from a second, independent generation of the sequence.
      MessageDigest regenerated = sha256();
      try (InputStream in = new DigestInputStream(new SeededStream(seed, SIZE), regenerated)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      assertThat(hex(regenerated)).isEqualTo(receivedHex);
    }
  }

  private static CatenaClient startAndConnect(InProcessCluster cluster) {
    cluster.awaitReady();
    return cluster.client();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  private static String hex(MessageDigest d) {
    return HexFormat.of().formatHex(d.digest());
  }
}
