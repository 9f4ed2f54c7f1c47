package dev.catena.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content headers ride in the manifest's metadata under reserved names and come back apart. */
class StoredHeadersTest {
  @Test
  void headersRoundTripBesideUserMetadata() {
    var h =
        new StoredHeaders(
            Map.of("colour", "blue"), "max-age=5", "inline", "gzip", "en", "2030-01-01T00:00:00Z");
    Map<String, String> stored = h.toManifestMetadata();
    assertThat(stored)
        .containsEntry("colour", "blue")
        .containsEntry(":s3:content-encoding", "gzip")
        .hasSize(6);
    assertThat(StoredHeaders.fromManifestMetadata(stored)).isEqualTo(h);
  }

  @Test
  void absentHeadersAreNotStored() {
    var h = new StoredHeaders(Map.of(), null, null, null, null, null);
    assertThat(h.toManifestMetadata()).isEmpty();
    assertThat(StoredHeaders.fromManifestMetadata(Map.of("a", "b")).userMetadata())
        .isEqualTo(Map.of("a", "b"));
  }

  @Test
  void etagsAreQuotedAndTokensRoundTrip() {
    assertThat(CatenaBlobStore.quote("abc")).isEqualTo("\"abc\"");
    assertThat(CatenaBlobStore.quote("")).isNull();
    String marker = "dir/ünïcode key/";
    assertThat(CatenaBlobStore.decodeToken(CatenaBlobStore.encodeToken(marker))).isEqualTo(marker);
  }
}
