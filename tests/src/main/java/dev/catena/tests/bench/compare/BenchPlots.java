package dev.catena.tests.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The run's plots as PNG files, drawn with JFreeChart: saturated throughput of the 1 KiB workloads
 * ({@code throughput.png}), of the 4 MiB workloads in MB/s ({@code large.png}), and open-loop
 * latency percentiles on a log scale ({@code latency.png}); one bar per configuration.
 */
final class BenchPlots {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 560;

  static {
    // Plots are drawn off screen, also where a display is set.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private BenchPlots() {}

  static List<Path> write(Path dir, List<SystemConfig> configs, Summaries s) throws IOException {
    Files.createDirectories(dir);
    var files = new ArrayList<Path>();
    files.add(
        bars(
            dir.resolve("throughput.png"),
            "Saturated throughput, 1 KiB values (closed loop)",
            "ops/s",
            configs,
            s,
            w -> !w.large(),
            LoadMode.Kind.CLOSED_MANY,
            SummaryRow::opsPerSecond));
    files.add(
        bars(
            dir.resolve("large.png"),
            "Saturated throughput, 4 MiB objects (closed loop)",
            "MB/s",
            configs,
            s,
            Workload::large,
            LoadMode.Kind.CLOSED_MANY,
            SummaryRow::megabytesPerSecond));
    files.add(latency(dir.resolve("latency.png"), configs, s));
    return files;
  }

  private static Path bars(
      Path file,
      String title,
      String unit,
      List<SystemConfig> configs,
      Summaries s,
      java.util.function.Predicate<Workload> which,
      LoadMode.Kind kind,
      ToDoubleFunction<SummaryRow> value)
      throws IOException {
    var data = new DefaultCategoryDataset();
    for (Workload w : Workload.values()) {
      if (!which.test(w)) {
        continue;
      }
      for (SystemConfig c : configs) {
        Optional<SummaryRow> r = s.find(c, w, kind);
        double v = r.map(value::applyAsDouble).orElse(Double.NaN);
        if (!Double.isNaN(v)) {
          data.addValue(v, c.label(), w.label());
        }
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, "workload", unit, data, PlotOrientation.VERTICAL, true, false, false);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }

  private static Path latency(Path file, List<SystemConfig> configs, Summaries s)
      throws IOException {
    var data = new DefaultCategoryDataset();
    for (Workload w : Workload.values()) {
      for (SystemConfig c : configs) {
        Optional<SummaryRow> r = s.find(c, w, LoadMode.Kind.OPEN);
        if (r.isEmpty() || r.get().completed() == 0) {
          continue;
        }
        String column = w.label();
        data.addValue(Math.max(0.001, r.get().p50Micros() / 1000), c.label() + " p50", column);
        data.addValue(Math.max(0.001, r.get().p99Micros() / 1000), c.label() + " p99", column);
        data.addValue(Math.max(0.001, r.get().p999Micros() / 1000), c.label() + " p99.9", column);
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Open-loop latency at a fixed offered rate (from intended start)",
            "workload",
            "ms",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    var axis = new LogarithmicAxis("ms (log scale)");
    axis.setAllowNegativesFlag(false);
    axis.setStrictValuesFlag(false);
    plot.setRangeAxis(axis);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }
}
