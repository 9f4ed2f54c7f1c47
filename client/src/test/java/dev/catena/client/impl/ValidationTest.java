package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.client.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN §2: S3 bucket names, keys ≤ 1024 bytes of UTF-8. */
class ValidationTest {
  @ParameterizedTest
  @ValueSource(strings = {"abc", "my-bucket", "my.bucket.1", "a1b", "0-0"})
  void acceptsValidBucketNames(String name) {
    assertThatCode(() -> Validation.checkBucket(name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "ab",
        "Abc",
        "my_bucket",
        "-abc",
        "abc-",
        ".abc",
        "a..b",
        "a.-b",
        "a-.b",
        "192.168.1.1",
        "xn--abc",
        "abc-s3alias",
        "bucket name",
        "a123456789012345678901234567890123456789012345678901234567890123"
      })
  void rejectsInvalidBucketNames(String name) {
    assertThatThrownBy(() -> Validation.checkBucket(name))
        .isInstanceOf(InvalidRequestException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 100, 1024})
  void acceptsKeysUpTo1024Bytes(int n) {
    assertThatCode(() -> Validation.checkKey("k".repeat(n))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(ints = {1025, 5000})
  void rejectsKeysOver1024Bytes(int n) {
    assertThatThrownBy(() -> Validation.checkKey("k".repeat(n)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("1024");
  }

  @org.junit.jupiter.api.Test
  void countsUtf8BytesNotCharacters() {
    assertThatCode(() -> Validation.checkKey("€".repeat(341))).doesNotThrowAnyException(); // 1023
    assertThatThrownBy(() -> Validation.checkKey("€".repeat(342))) // 1026 bytes, 342 chars
        .isInstanceOf(InvalidRequestException.class);
    assertThatCode(() -> Validation.checkKey("😀".repeat(256))).doesNotThrowAnyException(); // 1024
  }

  @ParameterizedTest
  @ValueSource(strings = {"\uD800", "a\uDC00b", "x\uD83D"})
  void rejectsLoneSurrogatesAndEmptyKeys(String key) {
    assertThatThrownBy(() -> Validation.checkKey(key)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Validation.checkKey("")).isInstanceOf(InvalidRequestException.class);
  }
}
