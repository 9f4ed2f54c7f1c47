package dev.catena.tests.bench.failover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * CPU time of a few processes over one window of wall time, from {@link ProcCpu}: each process's
 * user and system time (exact: the kernel keeps the time of exited threads in the process), the
 * part of it spent by the JIT compiler threads ({@code C1/C2 CompilerThre…}) and by the garbage
 * collector and VM threads ({@code GC Thread#…}, {@code G1 …}, {@code VM Thread}), its busiest
 * threads by name, and the whole machine's CPU time. Thread times are read at the start, every
 * {@code sampleMillis} and at the end, so a thread that ends within the window loses at most one
 * sampling interval, which then counts as "other" in its process.
 */
final class CpuWindow implements AutoCloseable {
  /** One process over the window. */
  record ProcessCpu(
      String name,
      long pid,
      ProcCpu.Ticks total,
      ProcCpu.Ticks jit,
      ProcCpu.Ticks gc,
      Map<String, ProcCpu.Ticks> busiestThreads) {
    /** Everything but the JIT compiler threads. */
    ProcCpu.Ticks withoutJit() {
      return total.minus(jit);
    }
  }

  /** The window: its length, every process and the machine. */
  record Result(long nanos, List<ProcessCpu> processes, ProcCpu.MachineTicks machine) {
    ProcessCpu of(String name) {
      return processes.stream()
          .filter(p -> p.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no process " + name));
    }
  }

  private static final int BUSIEST = 5;

  private final Map<String, Long> pids;
  private final long startNanos;
  private final Map<String, ProcCpu.Ticks> startTotals = new LinkedHashMap<>();
  private final Map<String, Map<Long, ProcCpu.ThreadTicks>> startThreads = new LinkedHashMap<>();
  private final Map<String, Map<Long, ProcCpu.ThreadTicks>> lastThreads = new LinkedHashMap<>();
  private final ProcCpu.MachineTicks startMachine;
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cpu-window-sampler");
            t.setDaemon(true);
            return t;
          });

  private CpuWindow(Map<String, Long> pids, long sampleMillis) throws IOException {
    this.pids = Map.copyOf(pids);
    this.startNanos = System.nanoTime();
    this.startMachine = ProcCpu.machine();
    for (var e : new TreeMap<>(pids).entrySet()) {
      startTotals.put(e.getKey(), ProcCpu.process(e.getValue()));
      Map<Long, ProcCpu.ThreadTicks> threads = ProcCpu.threads(e.getValue());
      startThreads.put(e.getKey(), threads);
      lastThreads.put(e.getKey(), new TreeMap<>(threads));
    }
    sampler.scheduleWithFixedDelay(
        this::sampleQuietly, sampleMillis, sampleMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts a window over {@code pids} (name → pid), sampling threads every {@code sampleMillis}.
   */
  static CpuWindow start(Map<String, Long> pids, long sampleMillis) throws IOException {
    return new CpuWindow(pids, sampleMillis);
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (IOException | UncheckedIOException e) {
      // a process ended: its last sample stands, the end of the window reports the error
    }
  }

  private synchronized void sample() throws IOException {
    for (var e : pids.entrySet()) {
      lastThreads.get(e.getKey()).putAll(ProcCpu.threads(e.getValue()));
    }
  }

  /** Ends the window: stops sampling and reads every process and the machine once more. */
  synchronized Result finish() throws IOException {
    sampler.shutdownNow();
    sample();
    ProcCpu.MachineTicks machine = ProcCpu.machine().minus(startMachine);
    long nanos = System.nanoTime() - startNanos;
    var out = new java.util.ArrayList<ProcessCpu>();
    for (var e : startTotals.entrySet()) {
      String name = e.getKey();
      long pid = pids.get(name);
      ProcCpu.Ticks total = ProcCpu.process(pid).minus(e.getValue());
      Map<Long, ProcCpu.ThreadTicks> before = startThreads.get(name);
      var byName = new TreeMap<String, ProcCpu.Ticks>();
      ProcCpu.Ticks jit = new ProcCpu.Ticks(0, 0);
      ProcCpu.Ticks gc = new ProcCpu.Ticks(0, 0);
      for (var t : lastThreads.get(name).entrySet()) {
        ProcCpu.ThreadTicks was = before.get(t.getKey());
        ProcCpu.Ticks d =
            was == null ? t.getValue().ticks() : t.getValue().ticks().minus(was.ticks());
        String kind = t.getValue().name();
        if (isJit(kind)) {
          jit = jit.plus(d);
        } else if (isGcOrVm(kind)) {
          gc = gc.plus(d);
        }
        byName.merge(kind.replaceAll("[0-9]+$", "*"), d, ProcCpu.Ticks::plus);
      }
      var busiest = new LinkedHashMap<String, ProcCpu.Ticks>();
      byName.entrySet().stream()
          .filter(x -> x.getValue().total() > 0)
          .sorted((a, b) -> Long.compare(b.getValue().total(), a.getValue().total()))
          .limit(BUSIEST)
          .forEach(x -> busiest.put(x.getKey(), x.getValue()));
      out.add(new ProcessCpu(name, pid, total, jit, gc, busiest));
    }
    return new Result(nanos, List.copyOf(out), machine);
  }

  /** HotSpot's compiler threads: {@code C1 CompilerThread0}, {@code C2 CompilerThread1}, … */
  static boolean isJit(String threadName) {
    return threadName.startsWith("C1 CompilerThre") || threadName.startsWith("C2 CompilerThre");
  }

  /** HotSpot's collector and VM threads (G1): {@code GC Thread#0}, {@code G1 Refine#0}, … */
  static boolean isGcOrVm(String threadName) {
    return threadName.startsWith("GC Thread")
        || threadName.startsWith("G1 ")
        || threadName.equals("VM Thread");
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }
}
