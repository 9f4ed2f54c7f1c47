package dev.catena.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The flow solver against brute force on random assignment problems. */
class MinCostFlowTest {

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void perfectAssignmentHasMinimumCost(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int n = rnd.nextInt(1, 7);
    int[][] cost = new int[n][n];
    MinCostFlow flow = new MinCostFlow(2 + 2 * n);
    int[][] edge = new int[n][n];
    for (int i = 0; i < n; i++) {
      flow.addEdge(0, 2 + i, 1, 0);
      flow.addEdge(2 + n + i, 1, 1, 0);
      for (int j = 0; j < n; j++) {
        cost[i][j] = rnd.nextInt(0, 4);
        edge[i][j] = flow.addEdge(2 + i, 2 + n + j, 1, cost[i][j]);
      }
    }
    assertThat(flow.augment(0, 1, n)).as("seed %d", seed).isEqualTo(n);
    int total = 0;
    for (int i = 0; i < n; i++) {
      int assigned = 0;
      for (int j = 0; j < n; j++) {
        assigned += flow.flow(edge[i][j]);
        total += flow.flow(edge[i][j]) * cost[i][j];
      }
      assertThat(assigned).as("seed %d row %d", seed, i).isEqualTo(1);
    }
    assertThat(total).as("seed %d", seed).isEqualTo(bruteForce(cost, 0, new boolean[n]));
  }

  private static int bruteForce(int[][] cost, int row, boolean[] used) {
    if (row == cost.length) {
      return 0;
    }
    int best = Integer.MAX_VALUE;
    for (int j = 0; j < cost.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }
}
