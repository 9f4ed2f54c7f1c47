package dev.catena.deploy.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server command in the foreground: closes its resource on SIGTERM/SIGINT (Ctrl-C) through
 * a shutdown hook, and lets the command wait until that has happened.
 */
final class Foreground {
  private final CountDownLatch done = new CountDownLatch(1);

  /** Registers {@code resource} to be closed (after printing {@code farewell}, if any) on exit. */
  static Foreground closeOnExit(AutoCloseable resource, String farewell) {
    var f = new Foreground();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (farewell != null) {
                    System.out.println(farewell);
                  }
                  try {
                    resource.close();
                  } catch (Exception e) { // shutting down: report and go on
                    System.err.println("catena: error while stopping: " + e);
                  } finally {
                    f.done.countDown();
                  }
                },
                "catena-stop"));
    return f;
  }

  /** Blocks until the shutdown hook has closed the resource. */
  void await() throws InterruptedException {
    done.await();
  }
}
