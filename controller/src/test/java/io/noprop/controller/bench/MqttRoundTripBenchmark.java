package io.noprop.controller.bench;

import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.FakeChip;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.mqtt.Mosquitto;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttLink;
import io.noprop.driver.mqtt.MqttSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * Round trips per second through one Mosquitto process, side by side: a raw Paho QoS 1
 * ping-pong (the ceiling), then a protocol PING through {@link MqttLink} and a
 * {@link ProtocolDevice}, then the same through the {@code mqtt://} device (a fleet of one).
 * Not a test. Run from the repository root:
 *
 * <pre>
 * mvn -q -B -pl controller -am test -DskipTests -Pbench -Dbench=io.noprop.controller.bench.MqttRoundTripBenchmark
 * </pre>
 */
public final class MqttRoundTripBenchmark {
  private static final int N = 3000;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("mqtt-bench");
    try (Mosquitto m = new Mosquitto(dir, null, null)) {
      MqttSettings s = MqttSettings.of(m.url(), Map.of(), Map.of());
      report("raw Paho ping-pong, QoS 1 (ceiling)", rawPingPong(s));
      try (MqttChipServer chip = new MqttChipServer(s, "bench", FakeChip.small())) {
        try (ProtocolDevice d = new ProtocolDevice("mqtt-link", new MqttLink(s, "bench"), RetryPolicy.REMOTE)) {
          report("protocol PING, ProtocolDevice over MqttLink", pings(d));
        }
        try (Device d = Devices.open("mqtt://127.0.0.1:" + m.port() + "/bench")) {
          report("protocol PING, mqtt:// device (fleet of one)", pings(d));
        }
      }
    }
  }

  private static long[] pings(Device d) {
    byte[] payload = new byte[16];
    for (int i = 0; i < 300; i++) d.ping(payload);
    long[] t = new long[N];
    for (int i = 0; i < N; i++) {
      long t0 = System.nanoTime();
      d.ping(payload);
      t[i] = System.nanoTime() - t0;
    }
    return t;
  }

  private static long[] rawPingPong(MqttSettings s) throws Exception {
    java.util.concurrent.LinkedBlockingQueue<byte[]> back = new java.util.concurrent.LinkedBlockingQueue<>();
    Callback echoCb = new Callback((topic, msg, self) -> {
      try {
        self[0].publish("bench/pong", msg.getPayload(), 1, false); // asynchronous: never blocks the callback
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    MqttAsyncClient echo = s.connect("bench-echo", echoCb, o -> { });
    echoCb.self[0] = echo;
    Callback pingCb = new Callback((topic, msg, self) -> back.offer(msg.getPayload()));
    MqttAsyncClient ping = s.connect("bench-ping", pingCb, o -> { });
    echo.subscribe("bench/ping", 1).waitForCompletion(5000);
    ping.subscribe("bench/pong", 1).waitForCompletion(5000);
    byte[] payload = new byte[24];
    for (int i = 0; i < 300; i++) {
      ping.publish("bench/ping", payload, 1, false);
      back.poll(5, TimeUnit.SECONDS);
    }
    long[] t = new long[N];
    for (int i = 0; i < N; i++) {
      long t0 = System.nanoTime();
      ping.publish("bench/ping", payload, 1, false);
      if (back.poll(5, TimeUnit.SECONDS) == null) throw new IllegalStateException("pong lost");
      t[i] = System.nanoTime() - t0;
    }
    MqttSettings.closeQuietly(ping);
    MqttSettings.closeQuietly(echo);
    return t;
  }

  interface OnMessage {
    void on(String topic, MqttMessage msg, MqttAsyncClient[] self);
  }

  static final class Callback implements MqttCallbackExtended {
    final OnMessage on;
    final MqttAsyncClient[] self = new MqttAsyncClient[1];

    Callback(OnMessage on) {
      this.on = on;
    }

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      on.on(topic, message, self);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  private static void report(String what, long[] t) {
    long[] s = t.clone();
    Arrays.sort(s);
    double total = Arrays.stream(t).sum() / 1e9;
    System.out.printf(Locale.ROOT, "%-48s %8.0f round trips/s   p50 %6.0f us   p99 %6.0f us%n", what, t.length / total, s[s.length / 2] / 1e3,
        s[(int) (s.length * 0.99)] / 1e3);
  }
}
