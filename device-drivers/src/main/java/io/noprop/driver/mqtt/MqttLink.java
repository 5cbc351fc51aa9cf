package io.noprop.driver.mqtt;

import io.noprop.driver.link.Link;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * A {@link Link} to one chip through an MQTT broker (PROTOCOL.md section 14). Requests are
 * published to {@code noprop/chip/ID/req/CLIENT}, replies arrive on {@code .../rep/CLIENT}; each
 * message carries one frame in its stream form (COBS and the 0x00 delimiter).
 *
 * <p>Sending never blocks on the broker: while the client is reconnecting a request is simply
 * lost, and {@link io.noprop.driver.ProtocolClient} resends it after its timeout (the chip's
 * replay cache makes that safe). Paho's callbacks only enqueue; subscriptions are renewed after
 * every reconnect on a separate thread, never inside the callback.
 *
 * <p>The link also watches the chip's retained status: when the chip says {@code offline}, or
 * comes back with a new boot id (restarted, its weights and datasets gone), {@link #receive}
 * throws {@link LinkDownException} so the caller stops waiting and re-establishes the session.
 */
public final class MqttLink implements Link {
  private static final byte[] DELIMITER = {0};

  private final String chip;
  private final String peer;
  private final String clientId;
  private final MqttAsyncClient client;
  private final String requestTopic;
  private final String replyTopic;
  private final String statusTopic;
  private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
  private final ArrayDeque<Frame> frames = new ArrayDeque<>();
  private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
  private final ExecutorService housekeeping;
  private volatile String status = "";
  private volatile String firstBoot;
  private volatile long lostSends;
  private long sent;
  private long received;
  private volatile boolean closed;
  private final ReconnectGuard guard;
  private final AtomicBoolean resubscribing = new AtomicBoolean();
  /** True once the reply subscription is acknowledged on the current connection; a lost connection clears it. */
  private volatile boolean subscribed;
  /** Set once the open has subscribed: every later connect is a reconnect, whoever made it (Paho or the guard). */
  private volatile boolean opened;

  public MqttLink(MqttSettings settings, String chip) {
    this.chip = MqttTopics.level("chip id", chip);
    this.clientId = MqttSettings.clientId("noprop-ctl");
    this.peer = "mqtt chip '" + chip + "' via " + settings.broker();
    this.requestTopic = MqttTopics.request(chip, clientId);
    this.replyTopic = MqttTopics.reply(chip, clientId);
    this.statusTopic = MqttTopics.status(chip);
    this.housekeeping = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mqtt-link-" + chip);
      t.setDaemon(true);
      return t;
    });
    this.client = settings.connect(clientId, new Callback(), o -> { });
    subscribeOnOpen(settings);
    subscribed = true;
    opened = true;
    this.guard = new ReconnectGuard(client, MqttChipServer.GUARD_PATIENCE, () -> {
      if (!subscribed && !closed && resubscribing.compareAndSet(false, true)) housekeeping.execute(this::resubscribe);
    });
  }

  /**
   * Subscribes to the reply and status topics, retrying until {@link MqttSettings#firstConnect}
   * has passed: a broker that drops the new connection (restarting, overloaded) is met with the
   * same patience as a connect that fails, while Paho's automatic reconnect brings the client back.
   * Only a refusal by the broker's ACL ends the wait early: it will not get better by itself.
   */
  private void subscribeOnOpen(MqttSettings settings) {
    long deadline = System.nanoTime() + settings.firstConnect().toNanos();
    long backoff = 50;
    while (true) {
      long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        IMqttToken sub = client.subscribe(new String[] {replyTopic, statusTopic}, new int[] {1, 1});
        sub.waitForCompletion(leftMs);
        if (MqttSettings.refused(sub)) {
          close();
          throw new LinkDownException("broker " + settings + " refused the subscription to chip '" + chip + "' (" + replyTopic + ", " + statusTopic
              + "): its ACL does not let this user drive that chip; use the credentials of the chip's lab", null);
        }
        return;
      } catch (MqttException e) {
        if (System.nanoTime() >= deadline) {
          close();
          throw new LinkDownException("cannot subscribe to " + replyTopic + " on " + settings.broker() + " within "
              + settings.firstConnect().toMillis() + " ms (connect_timeout_ms): " + MqttSettings.describe(e), e);
        }
      }
      try {
        Thread.sleep(Math.min(backoff, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        close();
        throw new LinkDownException("interrupted while subscribing to " + replyTopic, ie);
      }
      backoff = Math.min(1000, backoff * 2);
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverURI) {
      if (reconnect || opened) {
        resubscribing.set(true);
        housekeeping.execute(MqttLink.this::resubscribe);
      }
    }

    @Override
    public void connectionLost(Throwable cause) {
      // automatic reconnect (or the guard) takes over; lost requests are resent by the protocol client
      subscribed = false;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      if (topic.equals(statusTopic)) {
        onStatus(new String(message.getPayload(), StandardCharsets.UTF_8));
      } else {
        inbox.add(message.getPayload());
      }
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // QoS 1 acknowledged by the broker; the reply is what counts
    }
  }

  /**
   * After a reconnect (housekeeping thread, never Paho's callback). A subscription that fails
   * while the connection stays up (a broker that has just restarted) is tried again: no other
   * event would renew it, and the link would wait for replies that never reach it. A failure
   * because the connection dropped again is left to the next reconnect.
   */
  private void resubscribe() {
    resubscribing.set(false);
    while (!closed) {
      try {
        client.subscribe(new String[] {replyTopic, statusTopic}, new int[] {1, 1}).waitForCompletion(5000);
        subscribed = client.isConnected(); // acknowledged on a connection that is still up
        return;
      } catch (MqttException e) {
        if (!client.isConnected()) return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return; // closed
      }
    }
  }

  private void onStatus(String text) {
    status = text;
    String[] parts = text.split(" ");
    if (parts.length >= 2 && parts[0].equals("online") && firstBoot == null) firstBoot = parts[1];
  }

  /** The chip's last status message ({@code online BOOT} or {@code offline BOOT}), or empty before it arrives. */
  public String status() {
    return status;
  }

  @Override
  public void send(Frame frame) {
    if (closed) throw new LinkDownException("link to " + peer + " is closed", null);
    byte[] wire = FrameCodec.toWire(frame);
    sent += wire.length;
    try {
      client.publish(requestTopic, wire, 1, false);
    } catch (MqttException e) {
      lostSends++; // not connected right now: the request times out and is resent
    }
  }

  @Override
  public Frame receive(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    while (frames.isEmpty()) {
      checkPeer();
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      byte[] msg;
      try {
        msg = inbox.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LinkDownException("interrupted while waiting for " + peer, e);
      }
      if (msg == null) continue;
      received += msg.length;
      decoder.feed(msg, 0, msg.length, frames::add, bad -> { });
      decoder.feed(DELIMITER, 0, 1, frames::add, bad -> { }); // one frame per message, delimiter optional
    }
    return frames.poll();
  }

  private void checkPeer() {
    String s = status;
    if (s.startsWith("offline")) throw new LinkDownException(peer + " is offline (its status says '" + s + "')", null);
    String boot = firstBoot;
    if (boot != null && s.startsWith("online ") && !s.equals("online " + boot)) {
      throw new LinkDownException(peer + " restarted (boot " + boot + " -> " + s.substring(7) + "); its weights and datasets are gone", null);
    }
  }

  /**
   * A chip whose retained status says online yet never answers is most often out of this user's
   * reach: Mosquitto's ACLs drop a forbidden PUBLISH silently and never refuse a SUBSCRIBE.
   */
  @Override
  public String timeoutHint() {
    String s = status;
    if (s.startsWith("online")) {
      return "chip '" + chip + "' says it is online (" + s + ") yet nothing came back: the broker's ACL probably does not let this user drive it "
          + "(publish to " + MqttTopics.requests(chip) + ", read " + MqttTopics.ROOT + chip + "/rep/+); use the credentials of the chip's lab";
    }
    return s.isEmpty() ? "the broker has no status for chip '" + chip + "': is it served, and is the id right? (noprop devices --broker URL lists chips)" : "";
  }

  /** Requests that could not be published because the client was reconnecting. */
  public long lostSends() {
    return lostSends;
  }

  public String clientId() {
    return clientId;
  }

  public String chip() {
    return chip;
  }

  @Override
  public long bytesSent() {
    return sent;
  }

  @Override
  public long bytesReceived() {
    return received;
  }

  @Override
  public String peer() {
    return peer;
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    if (guard != null) guard.close();
    housekeeping.shutdownNow();
    if (client != null) MqttSettings.closeQuietly(client);
  }
}
