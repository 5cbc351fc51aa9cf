package io.noprop.driver.mqtt;

import io.noprop.driver.DeviceException;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** The chips a broker knows, from their retained status and HELLO topics (PROTOCOL.md section 14). */
public final class MqttChipDirectory {
  private MqttChipDirectory() {}

  /**
   * @param status {@code online BOOT}, {@code offline BOOT}, or empty when only a HELLO is retained
   * @param hello the retained HELLO, or null when none (or unreadable)
   */
  public record Chip(String id, String status, HelloInfo hello) {
    public boolean online() {
      return status.startsWith("online");
    }
  }

  /** Subscribes to every chip's retained topics and collects what arrives within {@code wait}. */
  public static List<Chip> list(MqttSettings settings, Duration wait) {
    Map<String, String> status = new ConcurrentHashMap<>();
    Map<String, byte[]> hello = new ConcurrentHashMap<>();
    MqttAsyncClient client = settings.connect(MqttSettings.clientId("noprop-list"), new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        String chip = MqttTopics.chipOf(topic);
        if (chip == null) return;
        if (topic.endsWith("/status")) status.put(chip, new String(message.getPayload(), StandardCharsets.UTF_8));
        else if (topic.endsWith("/hello")) hello.put(chip, message.getPayload());
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    }, o -> { });
    try {
      client.subscribe(new String[] {MqttTopics.ROOT + "+/status", MqttTopics.ROOT + "+/hello"}, new int[] {1, 1}).waitForCompletion(5000);
      Thread.sleep(wait.toMillis());
    } catch (MqttException e) {
      throw new DeviceException(DeviceException.Kind.LINK_DOWN,
          "cannot list chips on " + settings.broker() + ": " + MqttSettings.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      MqttSettings.closeQuietly(client);
    }
    Map<String, Chip> out = new TreeMap<>();
    for (String id : status.keySet()) out.put(id, new Chip(id, status.get(id), decode(hello.get(id))));
    for (String id : hello.keySet()) out.putIfAbsent(id, new Chip(id, "", decode(hello.get(id))));
    return new ArrayList<>(out.values());
  }

  private static HelloInfo decode(byte[] payload) {
    if (payload == null || payload.length == 0) return null;
    try {
      return HelloInfo.decode(payload);
    } catch (MalformedPayloadException | IllegalArgumentException e) {
      return null;
    }
  }
}
