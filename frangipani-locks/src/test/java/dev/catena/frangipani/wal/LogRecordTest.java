package dev.catena.frangipani.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class LogRecordTest {
  private static Update put(String key, long version, String payload) {
    return new Update(key, "i" + key, 77, version, false, payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void roundTripsEveryField() throws Exception {
    LogRecord r =
        new LogRecord(
            9,
            List.of(
                put("a", 3, "x"),
                new Update("b", "ib", 78, 4, true, new byte[0]),
                put("é", 1, "")));
    assertThat(LogRecord.decode(r.encode())).isEqualTo(r);
  }

  static LongStream seeds() {
    return LongStream.range(1, 101);
  }

  /** Any truncation (a torn write) or any single flipped bit is detected. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void tornOrCorruptRecordsAreRejected(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] payload = new byte[rnd.nextInt(0, 200)];
    rnd.nextBytes(payload);
    byte[] good =
        new LogRecord(
                rnd.nextLong(1, 1000),
                List.of(new Update("k" + seed, "s", 1, 1 + rnd.nextInt(50), false, payload)))
            .encode();
    byte[] torn = Arrays.copyOf(good, rnd.nextInt(0, good.length));
    byte[] flipped = good.clone();
    int bit = rnd.nextInt(flipped.length * 8);
    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
    assertThatThrownBy(() -> LogRecord.decode(torn))
        .as("seed %d", seed)
        .isInstanceOf(CorruptRecordException.class);
    assertThatThrownBy(() -> LogRecord.decode(flipped))
        .as("seed %d", seed)
        .isInstanceOf(CorruptRecordException.class);
  }

  @Test
  void metaObjectRoundTripsAndKeepsTheVersionOfATombstone() {
    MetaObject o = new MetaObject(5, true, new byte[0]);
    assertThat(MetaObject.decode(o.encode())).isEqualTo(o);
    assertThat(MetaObject.versionOf(java.util.Optional.of(o.encode()))).isEqualTo(5);
    assertThat(MetaObject.versionOf(java.util.Optional.empty())).isZero();
  }
}
