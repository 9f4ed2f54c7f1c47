package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** DESIGN §4 invariant 8: acked_below never passes a request that may still be retried. */
class RequestIdsTest {
  static LongStream seeds() {
    return LongStream.range(0, 100);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void ackedBelowIsTheLowestOutstandingSeq(long seed) {
    var rnd = new SplittableRandom(seed);
    var ids = new RequestIds("c");
    var model = new TreeSet<Long>();
    long last = 0;
    var open = new ArrayList<Long>();
    for (int step = 0; step < 500; step++) {
      if (open.isEmpty() || rnd.nextInt(3) > 0) {
        long s = ids.begin();
        assertThat(s).as("seed %d", seed).isEqualTo(last + 1);
        last = s;
        model.add(s);
        open.add(s);
      } else {
        long s = open.remove(rnd.nextInt(open.size()));
        ids.finish(s);
        model.remove(s);
      }
      long expected = model.isEmpty() ? last + 1 : model.first();
      assertThat(ids.ackedBelow()).as("seed %d step %d", seed, step).isEqualTo(expected);
      for (long s : model) {
        assertThat(ids.idOf(s).getAckedBelow()).isLessThanOrEqualTo(s);
      }
    }
  }
}
