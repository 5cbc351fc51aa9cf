package io.noprop.driver.mqtt;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Serves a {@link ChipBackend} as chip {@code ID} on a broker (PROTOCOL.md section 14): a virtual
 * bench. Requests from any controller arrive on {@code noprop/chip/ID/req/+}; each message is fed
 * to one {@link ChipEndpoint} (so the replay cache of section 4 absorbs QoS 1 redeliveries) and
 * the reply is published to the requester's own {@code noprop/chip/ID/rep/CLIENT}.
 *
 * <p>On every (re)connect the server publishes its retained HELLO and {@code online BOOT}
 * status; its last will is the retained {@code offline BOOT}. BOOT is random per server, so a
 * controller tells a restarted chip (weights and datasets gone) from a reconnected one.
 *
 * <p>Paho's callback thread only hands messages to a single worker thread, which executes them
 * in arrival order and publishes the replies. A {@link ReconnectGuard} keeps the chip reachable
 * should Paho's own reconnect give up silently, and renews a subscription no reconnect renewed.
 */
public final class MqttChipServer implements AutoCloseable {
  private final String chip;
  private final ChipEndpoint endpoint;
  private final byte[] hello;
  private final String boot = UUID.randomUUID().toString().substring(0, 8);
  private final ExecutorService worker;
  private final MqttAsyncClient client;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final ReconnectGuard guard;
  private final AtomicBoolean announcing = new AtomicBoolean();
  /** True once the request subscription is acknowledged on the current connection; a lost connection clears it. */
  private volatile boolean subscribed;
  /** Set once the constructor has announced: every later connect is a reconnect, whoever made it (Paho or the guard). */
  private volatile boolean started;
  private volatile boolean closed;

  /** Connects (retrying the first connect as {@link MqttSettings#connect} does) and starts serving. */
  public MqttChipServer(MqttSettings settings, String chip, ChipBackend backend) {
    this(settings, chip, backend, o -> { });
  }

  /** As above; {@code options} adjusts the connection (tests turn Paho's automatic reconnect off to show the guard at work). */
  MqttChipServer(MqttSettings settings, String chip, ChipBackend backend, Consumer<MqttConnectOptions> options) {
    this.chip = MqttTopics.level("chip id", chip);
    this.endpoint = new ChipEndpoint(backend);
    this.hello = backend.hello().encode();
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mqtt-chip-" + chip);
      t.setDaemon(true);
      return t;
    });
    this.client = settings.connect(MqttSettings.clientId("noprop-chip-" + chip), new Callback(), o -> {
      o.setWill(MqttTopics.status(chip), ("offline " + boot).getBytes(StandardCharsets.UTF_8), 1, true);
      options.accept(o);
    });
    announce(); // connectComplete may have run before the client field was set
    started = true;
    this.guard = new ReconnectGuard(client, GUARD_PATIENCE, this::renewIfUnsubscribed);
  }

  /** Longer than Paho's reconnect delay (1 s) and connect timeout (5 s), so a live reconnect cycle normally wins. */
  static final Duration GUARD_PATIENCE = Duration.ofSeconds(6);

  /** Guard thread, while connected: a connection whose subscription was never acknowledged gets another announce. */
  private void renewIfUnsubscribed() {
    if (!subscribed && !closed && announcing.compareAndSet(false, true)) worker.execute(this::announce);
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      // after the first connect (the constructor announces that one), whoever reconnected: Paho or the guard
      if (reconnect || started) {
        announcing.set(true);
        worker.execute(MqttChipServer.this::announce);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      subscribed = false; // a clean session: the broker forgot the subscription; the next connect announces again
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      String requester = MqttTopics.requesterIfFor(chip, topic);
      if (requester == null) { // not addressed to this chip (a misconfigured broker or bridge): never executed
        ignored.incrementAndGet();
        return;
      }
      byte[] payload = message.getPayload();
      worker.execute(() -> serve(requester, payload));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // nothing to do
    }
  }

  /** Subscribes and publishes the retained HELLO and status: after the first connect and after every reconnect. */
  private void announce() {
    announcing.set(false);
    if (closed) return;
    try {
      IMqttToken sub = client.subscribe(MqttTopics.requests(chip), 1);
      sub.waitForCompletion(5000);
      if (MqttSettings.refused(sub)) {
        System.err.println("noprop: broker refused the subscription to " + MqttTopics.requests(chip) + " (not allowed by its ACL for this user): "
            + "no request will reach chip " + chip);
      } else {
        subscribed = client.isConnected(); // acknowledged on a connection that is still up
      }
      client.publish(MqttTopics.hello(chip), hello, 1, true);
      client.publish(MqttTopics.status(chip), ("online " + boot).getBytes(StandardCharsets.UTF_8), 1, true);
    } catch (MqttException e) {
      // Disconnected again: the next connectComplete announces. Still connected (a subscription or
      // publish that timed out on a broker that has just restarted): nothing else would announce,
      // and the chip would stay "offline" for its controllers, so try again shortly.
      if (!closed && client.isConnected()) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        worker.execute(this::announce);
      }
    }
  }

  private void serve(String requester, byte[] payload) {
    // One message, one frame (PROTOCOL.md section 14): exactly one reply message, one frame long.
    byte[] reply = endpoint.onMessage(payload);
    served.incrementAndGet();
    try {
      client.publish(MqttTopics.reply(chip, requester), reply, 1, false);
    } catch (MqttException e) {
      // lost: the controller resends the same seq and gets this reply from the replay cache
    }
  }

  public String chip() {
    return chip;
  }

  public String boot() {
    return boot;
  }

  /** Request messages handled so far (duplicates included). */
  public long served() {
    return served.get();
  }

  /** Messages that arrived on a topic not addressed to this chip, and were ignored. */
  public long ignored() {
    return ignored.get();
  }

  /** Test hook: what the Paho callback does with a message on {@code topic}. */
  void deliver(String topic, byte[] payload) {
    new Callback().messageArrived(topic, new MqttMessage(payload));
  }

  /** Whether the client is connected to the broker now. */
  public boolean connected() {
    return client.isConnected();
  }

  /** Whether the request subscription is acknowledged on the current connection (requests can reach the chip). */
  public boolean subscribed() {
    return subscribed && client.isConnected();
  }

  /** Times the guard reconnected this server because Paho's own reconnect did not. */
  public long manualReconnects() {
    return guard.manualReconnects();
  }

  public ChipEndpoint endpoint() {
    return endpoint;
  }

  /** Publishes the retained {@code offline} status and disconnects. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    guard.close();
    worker.shutdown();
    try {
      worker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (client.isConnected()) {
        client.publish(MqttTopics.status(chip), ("offline " + boot).getBytes(StandardCharsets.UTF_8), 1, true).waitForCompletion(1000);
      }
    } catch (MqttException ignored) {
      // the broker publishes the will instead
    }
    MqttSettings.closeQuietly(client);
  }
}
