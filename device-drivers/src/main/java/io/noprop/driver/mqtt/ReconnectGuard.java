package io.noprop.driver.mqtt;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Keeps a Paho client connected and its own state whole, whatever happened to Paho's automatic
 * reconnect. That reconnect runs on a {@link java.util.Timer} whose cycle can end for good without
 * a word: an unchecked exception in its task kills the timer (eclipse-paho/paho.mqtt.java#325), and
 * a connect refused synchronously is logged and never rescheduled. A chip server left that way
 * after a broker restart is deaf until the process restarts. So every {@link #CHECK} the guard
 * looks: a client disconnected for longer than its patience is reconnected by hand (Paho's own
 * cycle, if alive, simply sees a connect in progress); a connected client gets {@code
 * whileConnected}, which re-establishes whatever the owner keeps per connection (subscriptions).
 */
final class ReconnectGuard implements AutoCloseable {
  /** How often the client is looked at. */
  static final Duration CHECK = Duration.ofMillis(500);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "mqtt-reconnect-guard");
    t.setDaemon(true);
    return t;
  });

  private final MqttAsyncClient client;
  private final long patienceNanos;
  private final Runnable whileConnected;
  private final ScheduledFuture<?> task;
  private long downSince; // guard thread only; 0 while connected
  private volatile long manualReconnects;

  /**
   * @param patience how long the client may stay disconnected before the guard reconnects it (longer
   *     than Paho's own reconnect delay, so a live cycle normally wins)
   * @param whileConnected run on the guard thread at every check while connected; must not block
   */
  ReconnectGuard(MqttAsyncClient client, Duration patience, Runnable whileConnected) {
    this.client = client;
    this.patienceNanos = patience.toNanos();
    this.whileConnected = whileConnected;
    this.task = TIMER.scheduleWithFixedDelay(this::check, CHECK.toMillis(), CHECK.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    try {
      if (client.isConnected()) {
        downSince = 0;
        whileConnected.run();
        return;
      }
      long now = System.nanoTime();
      if (downSince == 0) {
        downSince = now;
        return;
      }
      if (now - downSince < patienceNanos) return;
      downSince = now; // the next manual attempt after another full patience
      manualReconnects++;
      client.reconnect();
    } catch (MqttException e) {
      // a connect already in progress, or the broker still down: the next check looks again
    } catch (RuntimeException e) {
      // never let one client's trouble end the shared timer
    }
  }

  /** Times the guard had to reconnect the client itself. */
  long manualReconnects() {
    return manualReconnects;
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
