package dev.catena.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Delimited listings over a sorted key source, checked against a direct model of S3's rules. */
class DelimitedListingTest {
  /** A sorted key set served in pages of {@code pageSize}, like Catena's merged listing. */
  static DelimitedListing.PageSource source(NavigableSet<String> keys, int pageSize) {
    return (prefix, after, max) -> {
      var out = new ArrayList<ObjectSummary>();
      for (String k : keys.tailSet(after, false)) {
        if (!k.startsWith(prefix)) {
          if (k.compareTo(prefix) > 0) {
            break;
          }
          continue;
        }
        if (out.size() == Math.min(max, pageSize)) {
          return new DelimitedListing.Page(out, true);
        }
        out.add(new ObjectSummary(k, 1, "e", 0));
      }
      return new DelimitedListing.Page(out, false);
    };
  }

  /** S3's answer in one sorted list: keys and common prefixes ("P:" marks a prefix). */
  static List<String> model(NavigableSet<String> keys, String prefix, String delimiter) {
    var out = new TreeSet<String>();
    for (String k : keys) {
      if (!k.startsWith(prefix)) {
        continue;
      }
      String p = DelimitedListing.rollUp(k, prefix, delimiter);
      out.add(p == null ? k : p);
    }
    return new ArrayList<>(out);
  }

  static List<String> pageAll(
      DelimitedListing.PageSource src, String prefix, String delimiter, int maxKeys) {
    var all = new ArrayList<String>();
    String marker = "";
    for (int pages = 0; pages < 10_000; pages++) {
      var r = DelimitedListing.list(src, prefix, delimiter, marker, maxKeys);
      var page = new TreeSet<String>();
      r.objects().forEach(o -> page.add(o.key()));
      page.addAll(r.commonPrefixes());
      assertThat(page.size()).isLessThanOrEqualTo(maxKeys);
      all.addAll(page);
      if (r.nextMarker().isEmpty()) {
        return all;
      }
      assertThat(r.nextMarker().get()).isEqualTo(page.last());
      marker = r.nextMarker().get();
    }
    throw new AssertionError("listing did not end");
  }

  @Test
  void rollsUpAtTheFirstDelimiterAfterThePrefix() {
    var keys = new TreeSet<>(List.of("a/1", "a/2", "a/b/3", "b", "c/x", "c/y/z"));
    var r = DelimitedListing.list(source(keys, 1000), "", "/", "", 1000);
    assertThat(r.objects()).extracting(ObjectSummary::key).containsExactly("b");
    assertThat(r.commonPrefixes()).containsExactly("a/", "c/");
    assertThat(r.nextMarker()).isEmpty();

    var inA = DelimitedListing.list(source(keys, 1000), "a/", "/", "", 1000);
    assertThat(inA.objects()).extracting(ObjectSummary::key).containsExactly("a/1", "a/2");
    assertThat(inA.commonPrefixes()).containsExactly("a/b/");
  }

  @Test
  void maxKeysCountsPrefixesAndTruncatesOnlyWhenSomethingFollows() {
    var keys = new TreeSet<>(List.of("a/1", "a/2", "b", "c/x"));
    var r = DelimitedListing.list(source(keys, 1000), "", "/", "", 2);
    assertThat(r.commonPrefixes()).containsExactly("a/");
    assertThat(r.objects()).extracting(ObjectSummary::key).containsExactly("b");
    assertThat(r.nextMarker()).contains("b");
    var rest = DelimitedListing.list(source(keys, 1000), "", "/", "b", 2);
    assertThat(rest.commonPrefixes()).containsExactly("c/");
    assertThat(rest.nextMarker()).isEmpty();
    // exactly maxKeys entries and nothing after: not truncated
    assertThat(DelimitedListing.list(source(keys, 1000), "", "/", "", 3).nextMarker()).isEmpty();
  }

  @Test
  void resumingAfterACommonPrefixSkipsItsKeys() {
    var keys = new TreeSet<>(List.of("a/1", "a/2", "a/3", "b"));
    var r = DelimitedListing.list(source(keys, 1), "", "/", "a/", 10);
    assertThat(r.commonPrefixes()).isEmpty();
    assertThat(r.objects()).extracting(ObjectSummary::key).containsExactly("b");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void pagingMatchesTheModel(long seed) {
    var rnd = new SplittableRandom(seed);
    var keys = new TreeSet<String>();
    String alphabet = "ab/c\uffff";
    int n = rnd.nextInt(0, 200);
    for (int i = 0; i < n; i++) {
      var sb = new StringBuilder();
      int len = rnd.nextInt(1, 7);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      keys.add(sb.toString());
    }
    String prefix = List.of("", "a", "a/", "b/c").get(rnd.nextInt(4));
    String delimiter = List.of("", "/", "c", "/c").get(rnd.nextInt(4));
    int maxKeys = rnd.nextInt(1, 12);
    int pageSize = rnd.nextInt(1, 8);
    assertThat(pageAll(source(keys, pageSize), prefix, delimiter, maxKeys))
        .as("seed %d prefix '%s' delimiter '%s' maxKeys %d", seed, prefix, delimiter, maxKeys)
        .isEqualTo(model(keys, prefix, delimiter));
  }

  @Test
  void noEntryRepeatsAcrossPagesWhileKeysAreAdded() {
    var keys = new TreeSet<String>();
    for (int i = 0; i < 50; i++) {
      keys.add(String.format("k%03d", i * 2));
    }
    var seen = new ArrayList<String>();
    String marker = "";
    int added = 0;
    while (true) {
      var r = DelimitedListing.list(source(keys, 7), "", "", marker, 5);
      r.objects().forEach(o -> seen.add(o.key()));
      keys.add(String.format("k%03d", added++ * 2 + 1)); // behind and ahead of the marker
      if (r.nextMarker().isEmpty()) {
        break;
      }
      marker = r.nextMarker().get();
    }
    assertThat(seen).doesNotHaveDuplicates().isSorted();
  }
}
