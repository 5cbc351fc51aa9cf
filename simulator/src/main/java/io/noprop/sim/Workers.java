package io.noprop.sim;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Daemon threads shared by every simulated chip in the JVM for the forward pass's products. Work
 * is split by samples into fixed ranges and every sample's sums run in one thread in a fixed
 * order, so results do not depend on the number of threads; noise is drawn afterwards, in one
 * thread, in sample order.
 */
final class Workers {
  private Workers() {}

  static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "noprop-sim-mvm");
    t.setDaemon(true);
    return t;
  });

  static void join(Future<?>[] fs) {
    boolean interrupted = false;
    for (Future<?> f : fs) {
      while (true) {
        try {
          f.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException r) throw r;
          if (c instanceof Error err) throw err;
          throw new IllegalStateException(c);
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
