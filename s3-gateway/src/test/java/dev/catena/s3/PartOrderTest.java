package dev.catena.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Part order of CompleteMultipartUpload documents as S3 judges it. */
@Timeout(10)
class PartOrderTest {
  static byte[] doc(int... numbers) {
    var sb =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (int n : numbers) {
      sb.append("<Part><ETag>\"e\"</ETag><PartNumber> ").append(n).append(" </PartNumber></Part>");
    }
    return sb.append("</CompleteMultipartUpload>").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void ascendingAndRepeatedNumbersAreInOrder() {
    assertThat(PartOrder.outOfOrder(doc(1, 2, 3))).isFalse();
    assertThat(PartOrder.outOfOrder(doc(1, 3, 7))).isFalse();
    assertThat(PartOrder.outOfOrder(doc(1, 2, 2, 3))).isFalse();
    assertThat(PartOrder.outOfOrder(doc(5))).isFalse();
    assertThat(PartOrder.outOfOrder(doc())).isFalse();
  }

  @Test
  void aLowerNumberAfterAHigherOneIsOutOfOrder() {
    assertThat(PartOrder.outOfOrder(doc(2, 1))).isTrue();
    assertThat(PartOrder.outOfOrder(doc(1, 3, 2))).isTrue();
    assertThat(PartOrder.outOfOrder(doc(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1))).isTrue();
  }

  @Test
  void documentsItCannotReadAreLeftToS3proxy() {
    assertThat(PartOrder.outOfOrder("not xml".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(
            PartOrder.outOfOrder(
                "<C><Part><PartNumber>2</PartNumber></Part><Part><PartNumber>x</PartNumber></Part></C>"
                    .getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    // an entity declaration is not expanded (no DTD support)
    assertThat(
            PartOrder.outOfOrder(
                ("<!DOCTYPE C [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<C><PartNumber>&x;</PartNumber></C>")
                    .getBytes(StandardCharsets.UTF_8)))
        .isFalse();
  }
}
