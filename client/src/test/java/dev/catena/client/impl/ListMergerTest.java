package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.client.CatenaException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scatter-gather listing: merged pages with continuation equal a sorted model (S3 semantics). */
class ListMergerTest {
  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  /** A chain's answer as the server computes it: keys after {@code after}, at most {@code cap}. */
  private static ListMerger.Page serve(TreeSet<String> chain, String prefix, String after, int n) {
    var out = new ArrayList<ObjectSummary>();
    for (String k : chain.tailSet(after, false)) {
      if (!k.startsWith(prefix)) {
        if (k.compareTo(prefix) > 0) {
          break;
        }
        continue;
      }
      if (out.size() == n) {
        return new ListMerger.Page(out, true);
      }
      out.add(new ObjectSummary(k, k.length(), "e", 0));
    }
    return new ListMerger.Page(out, false);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void pagingOverChainsYieldsEveryKeyOnceInOrder(long seed) {
    var rnd = new SplittableRandom(seed);
    int chains = rnd.nextInt(1, 6);
    var perChain = new ArrayList<TreeSet<String>>();
    for (int c = 0; c < chains; c++) {
      perChain.add(new TreeSet<>());
    }
    var model = new TreeSet<String>();
    int keys = rnd.nextInt(0, 300);
    String[] alphabet = {"a", "b", "ab", "z", "/", "é"};
    for (int i = 0; i < keys; i++) {
      var k = new StringBuilder();
      for (int j = rnd.nextInt(1, 5); j > 0; j--) {
        k.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      if (model.add(k.toString())) {
        perChain.get(rnd.nextInt(chains)).add(k.toString());
      }
    }
    String prefix = rnd.nextBoolean() ? "" : alphabet[rnd.nextInt(alphabet.length)];
    int maxKeys = rnd.nextInt(1, 20);
    // Some servers cap pages below what was asked, which bounds the merge early.
    int serverCap = rnd.nextBoolean() ? maxKeys : rnd.nextInt(1, maxKeys + 1);
    var got = new ArrayList<String>();
    String after = "";
    for (int pages = 0; ; pages++) {
      assertThat(pages).as("seed %d: too many pages", seed).isLessThan(1000);
      var answers = new ArrayList<ListMerger.Page>();
      for (TreeSet<String> c : perChain) {
        answers.add(serve(c, prefix, after, Math.min(maxKeys, serverCap)));
      }
      ObjectListing page = ListMerger.merge(answers, maxKeys);
      assertThat(page.objects().size()).as("seed %d", seed).isLessThanOrEqualTo(maxKeys);
      page.objects().forEach(s -> got.add(s.key()));
      if (!page.truncated()) {
        break;
      }
      after = ContinuationTokens.decode(page.nextContinuationToken().orElseThrow());
    }
    var expected = model.stream().filter(k -> k.startsWith(prefix)).toList();
    assertThat(got).as("seed %d", seed).isEqualTo(expected);
  }

  @Test
  void truncatedChainBoundsThePage() {
    var a = new ListMerger.Page(List.of(s("a"), s("b")), true);
    var b = new ListMerger.Page(List.of(s("c")), false);
    ObjectListing page = ListMerger.merge(List.of(a, b), 10);
    assertThat(page.objects()).extracting(ObjectSummary::key).containsExactly("a", "b");
    assertThat(page.truncated()).isTrue();
    assertThat(ContinuationTokens.decode(page.nextContinuationToken().orElseThrow()))
        .isEqualTo("b");
  }

  @Test
  void rejectsUnsortedOrEmptyTruncatedPages() {
    assertThatThrownBy(
            () -> ListMerger.merge(List.of(new ListMerger.Page(List.of(s("b"), s("a")), false)), 5))
        .isInstanceOf(CatenaException.class);
    assertThatThrownBy(() -> ListMerger.merge(List.of(new ListMerger.Page(List.of(), true)), 5))
        .isInstanceOf(CatenaException.class);
  }

  @Test
  void tokensRoundTripAndRejectGarbage() {
    for (String k : new String[] {"", "a", "ü/日本/\u0000x", "k".repeat(1024)}) {
      assertThat(ContinuationTokens.decode(ContinuationTokens.encode(k))).isEqualTo(k);
    }
    assertThatThrownBy(() -> ContinuationTokens.decode("!!!"))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> ContinuationTokens.decode("eHl6")) // "xyz": no version prefix
        .isInstanceOf(InvalidRequestException.class);
  }

  private static ObjectSummary s(String key) {
    return new ObjectSummary(key, 1, "e", 0);
  }
}
