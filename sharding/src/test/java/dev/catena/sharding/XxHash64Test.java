package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** XXH64 against the published reference vectors. */
class XxHash64Test {
  private static final long PRIME32 = 2654435761L;
  private static final long PRIME64 = 0x9E3779B185EBCA8DL; // 11400714785074694797

  /** The reference sanity buffer: byte i is the top byte of PRIME32 * PRIME64^i. */
  private static byte[] sanityBuffer(int length) {
    byte[] b = new byte[length];
    long gen = PRIME32;
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (gen >>> 56);
      gen *= PRIME64;
    }
    return b;
  }

  static Stream<Arguments> referenceVectors() {
    // The XXH64 sanity-check table of the reference implementation (length, seed, digest).
    return Stream.of(
        Arguments.of(0, 0L, 0xEF46DB3751D8E999L),
        Arguments.of(0, PRIME32, 0xAC75FDA2929B17EFL),
        Arguments.of(1, 0L, 0xE934A84ADB052768L),
        Arguments.of(1, PRIME32, 0x5014607643A9B4C3L),
        Arguments.of(4, 0L, 0x9136A0DCA57457EEL),
        Arguments.of(14, 0L, 0x8282DCC4994E35C8L),
        Arguments.of(14, PRIME32, 0xC3BD6BF63DEB6DF0L),
        Arguments.of(222, 0L, 0xB641AE8CB691C174L),
        Arguments.of(222, PRIME32, 0x20CB8AB7AE10C14AL));
  }

  @ParameterizedTest(name = "len={0} seed={1}")
  @MethodSource("referenceVectors")
  void matchesReferenceSanityVectors(int length, long seed, long expected) {
    assertThat(XxHash64.hash(sanityBuffer(length), seed))
        .as("XXH64 len=%d seed=%d", length, seed)
        .isEqualTo(expected);
  }

  static Stream<Arguments> stringVectors() {
    // Widely published string vectors (seed 0); the 63-byte one exercises every code path.
    return Stream.of(
        Arguments.of("", 0xef46db3751d8e999L),
        Arguments.of("a", 0xd24ec4f1a98c6e5bL),
        Arguments.of("as", 0x1c330fb2d66be179L),
        Arguments.of("asd", 0x631c37ce72a97393L),
        Arguments.of("asdf", 0x415872f599cea71eL),
        Arguments.of("abc", 0x44bc2cf5ad770999L),
        Arguments.of("xxhash", 0x32dd38952c4bc720L),
        Arguments.of(
            "Call me Ishmael. Some years ago--never mind how long precisely-",
            0x02a2e85470d6fd96L));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("stringVectors")
  void matchesPublishedStringVectors(String input, long expected) {
    assertThat(XxHash64.hash(input.getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(expected);
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void rangeOverloadEqualsCopy(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] data = new byte[rnd.nextInt(1, 300)];
    rnd.nextBytes(data);
    int off = rnd.nextInt(data.length);
    int len = rnd.nextInt(data.length - off + 1);
    byte[] copy = java.util.Arrays.copyOfRange(data, off, off + len);
    long hashSeed = rnd.nextLong();
    assertThat(XxHash64.hash(data, off, len, hashSeed))
        .as("seed %d", seed)
        .isEqualTo(XxHash64.hash(copy, hashSeed));
  }

  @Test
  void rejectsOutOfBoundsRange() {
    assertThatThrownBy(() -> XxHash64.hash(new byte[4], 2, 3, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
