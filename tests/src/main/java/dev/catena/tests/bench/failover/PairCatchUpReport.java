package dev.catena.tests.bench.failover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report of {@link PairCatchUpBenchmark}: a Markdown table per join on stdout (wall time,
 * bytes, user and system CPU seconds of every process, CPU seconds per GiB on each side with and
 * without the JIT compiler, the machine's busy time, the raw copy and the ratio), the busiest
 * threads of each process, and the same as JSON values for {@link Json}.
 */
final class PairCatchUpReport {
  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final double TARGET_CPU_PER_GIB = 1.5;
  private static final double TARGET_RATIO = 1.5;

  private PairCatchUpReport() {}

  static void print(List<PairCatchUpBenchmark.Join> joins, boolean writes) {
    var table =
        new MarkdownTable(
            "join",
            "SYNCING → ACTIVE",
            "MiB",
            "n1 sender user / sys",
            "n2 joiner user / sys",
            "bench JVM user / sys",
            "CPU-s per GiB n1 / n2",
            "JIT n1 / n2",
            "per GiB without JIT n1 / n2",
            "GC+VM n1 / n2",
            "machine busy (user / sys / irq)",
            "raw copy (thread user / sys)",
            "ratio");
    for (PairCatchUpBenchmark.Join j : joins) {
      CpuWindow.ProcessCpu n1 = j.cpu().of("n1");
      CpuWindow.ProcessCpu n2 = j.cpu().of("n2");
      CpuWindow.ProcessCpu bench = j.cpu().of("bench");
      long b = j.bytes();
      ProcCpu.MachineTicks m = j.cpu().machine();
      table.row(
          j.index() + (j.index() == 1 ? " (n1 cold)" : " (n1 warm)") + (writes ? ", writes" : ""),
          String.format("%.2f s", j.nanos() / 1e9),
          String.format("%.1f", b / 1048576.0),
          userSys(n1.total()),
          userSys(n2.total()),
          userSys(bench.total()),
          String.format("%.2f / %.2f", perGib(n1.total(), b), perGib(n2.total(), b)),
          String.format("%.2f / %.2f", secs(n1.jit()), secs(n2.jit())),
          String.format("%.2f / %.2f", perGib(n1.withoutJit(), b), perGib(n2.withoutJit(), b)),
          String.format("%.2f / %.2f", secs(n1.gc()), secs(n2.gc())),
          String.format(
              "%.2f (%.2f / %.2f / %.2f)",
              secs(m.busy()), secs(m.user()), secs(m.system()), secs(m.interrupts())),
          String.format(
              "%.2f s (%.2f / %.2f)",
              j.raw().nanos() / 1e9,
              j.rawUserNanos() / 1e9,
              (j.rawCpuNanos() - j.rawUserNanos()) / 1e9),
          String.format("%.2f", j.ratio()));
    }
    System.out.println();
    System.out.println(table.render());
    System.out.printf(
        "targets: ≤ %.1f CPU-s per GiB on each side, ≤ %.1f× the raw copy%n",
        TARGET_CPU_PER_GIB, TARGET_RATIO);
    for (PairCatchUpBenchmark.Join j : joins) {
      for (CpuWindow.ProcessCpu p : j.cpu().processes()) {
        var parts = new ArrayList<String>();
        p.busiestThreads().forEach((name, t) -> parts.add(name + " " + userSys(t)));
        System.out.printf("join %d, %s busiest threads: %s%n", j.index(), p.name(), parts);
      }
    }
  }

  static List<Object> json(List<PairCatchUpBenchmark.Join> joins) {
    var out = new ArrayList<Object>();
    for (PairCatchUpBenchmark.Join j : joins) {
      var m = new LinkedHashMap<String, Object>();
      m.put("join", j.index());
      m.put("sender", j.index() == 1 ? "first snapshot it sends" : "warm");
      m.put("joiner", "fresh process, empty directory");
      m.put("seconds", j.nanos() / 1e9);
      m.put("windowEpochMillis", List.of(j.fromEpochMillis(), j.toEpochMillis()));
      // System.nanoTime is CLOCK_MONOTONIC: matches `perf record -k CLOCK_MONOTONIC` times.
      m.put("windowMonotonicNanos", List.of(j.fromNanos(), j.fromNanos() + j.nanos()));
      m.put("bytes", j.bytes());
      m.put("reportedBytes", j.reportedBytes());
      m.put("reportedRecords", j.reportedRecords());
      m.put("joinerDirGrowthBytes", j.joinerDirBytes());
      var promoted = new LinkedHashMap<String, Object>();
      j.activeAfterSeconds().forEach((chain, s) -> promoted.put(Integer.toString(chain), s));
      m.put("activeAfterSecondsByChain", promoted);
      m.put("rolesRestoredAfterSeconds", j.settleNanos() / 1e9);
      var procs = new ArrayList<Object>();
      for (CpuWindow.ProcessCpu p : j.cpu().processes()) {
        var pm = new LinkedHashMap<String, Object>();
        pm.put("process", p.name());
        pm.put("pid", p.pid());
        pm.putAll(ticks(p.total()));
        pm.put("cpuSecondsPerGiB", perGib(p.total(), j.bytes()));
        pm.put("jit", ticks(p.jit()));
        pm.put("cpuSecondsPerGiBWithoutJit", perGib(p.withoutJit(), j.bytes()));
        pm.put("gcAndVm", ticks(p.gc()));
        var threads = new LinkedHashMap<String, Object>();
        p.busiestThreads().forEach((name, t) -> threads.put(name, ticks(t)));
        pm.put("busiestThreads", threads);
        procs.add(pm);
      }
      m.put("processes", procs);
      m.put("joinerStartupBeforeJoin", ticks(j.joinerStartup()));
      m.put("machine", machine(j.cpu().machine()));
      var raw = new LinkedHashMap<String, Object>();
      raw.put("seconds", j.raw().nanos() / 1e9);
      raw.put("bytes", j.raw().bytes());
      raw.put("files", j.raw().files());
      raw.put("threadUserSeconds", j.rawUserNanos() / 1e9);
      raw.put("threadSystemSeconds", (j.rawCpuNanos() - j.rawUserNanos()) / 1e9);
      raw.put("machine", machine(j.rawCpu().machine()));
      m.put("rawCopy", raw);
      m.put("ratio", j.ratio());
      m.put("ratioTargetMet", j.ratio() <= TARGET_RATIO);
      m.put(
          "cpuPerGiBTargetMet",
          perGib(j.cpu().of("n1").total(), j.bytes()) <= TARGET_CPU_PER_GIB
              && perGib(j.cpu().of("n2").total(), j.bytes()) <= TARGET_CPU_PER_GIB);
      m.put("putsDuringJoin", FailoverBenchmark.statsJson(j.puts()));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> ticks(ProcCpu.Ticks t) {
    var m = new LinkedHashMap<String, Object>();
    m.put("userSeconds", secs(t.user()));
    m.put("systemSeconds", secs(t.system()));
    return m;
  }

  private static Map<String, Object> machine(ProcCpu.MachineTicks t) {
    var m = new LinkedHashMap<String, Object>();
    m.put("busySeconds", secs(t.busy()));
    m.put("userSeconds", secs(t.user()));
    m.put("systemSeconds", secs(t.system()));
    m.put("interruptSeconds", secs(t.interrupts()));
    m.put("ioWaitSeconds", secs(t.ioWait()));
    m.put("idleSeconds", secs(t.idle()));
    return m;
  }

  private static String userSys(ProcCpu.Ticks t) {
    return String.format("%.2f / %.2f", secs(t.user()), secs(t.system()));
  }

  private static double secs(ProcCpu.Ticks t) {
    return secs(t.total());
  }

  private static double secs(long ticks) {
    return ProcCpu.seconds(ticks);
  }

  static double perGib(ProcCpu.Ticks t, long bytes) {
    return ProcCpu.seconds(t.total()) / (bytes / GIB);
  }
}
