package io.noprop.driver.mqtt;

import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ChipEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
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
 * in arrival order and publishes the replies.
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
  private volatile boolean closed;

  /** Connects (retrying the first connect as {@link MqttSettings#connect} does) and starts serving. */
  public MqttChipServer(MqttSettings settings, String chip, ChipBackend backend) {
    this.chip = MqttTopics.level("chip id", chip);
    this.endpoint = new ChipEndpoint(backend);
    this.hello = backend.hello().encode();
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mqtt-chip-" + chip);
      t.setDaemon(true);
      return t;
    });
    this.client = settings.connect(MqttSettings.clientId("noprop-chip-" + chip), new Callback(),
        o -> o.setWill(MqttTopics.status(chip), ("offline " + boot).getBytes(StandardCharsets.UTF_8), 1, true));
    announce(); // connectComplete may have run before the client field was set
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      if (reconnect) worker.execute(MqttChipServer.this::announce);
    }

    @Override
    public void connectionLost(Throwable cause) {
      // automatic reconnect; connectComplete announces again
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
    if (closed) return;
    try {
      IMqttToken sub = client.subscribe(MqttTopics.requests(chip), 1);
      sub.waitForCompletion(5000);
      if (MqttSettings.refused(sub)) {
        System.err.println("noprop: broker refused the subscription to " + MqttTopics.requests(chip) + " (not allowed by its ACL for this user): "
            + "no request will reach chip " + chip);
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

  public ChipEndpoint endpoint() {
    return endpoint;
  }

  /** Publishes the retained {@code offline} status and disconnects. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
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
