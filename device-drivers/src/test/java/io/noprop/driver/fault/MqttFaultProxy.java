package io.noprop.driver.fault;

import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.mqtt.MqttTopics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * A man in the middle on the broker: controllers address chip {@code front}, the proxy passes
 * their requests on to chip {@code back} and the replies back, damaging the payload bytes as its
 * {@link FaultPlan} says (a buggy bridge or gateway; TCP itself would not corrupt them). The
 * back chip's retained status and HELLO are mirrored under the front id. Paho callbacks only hand
 * work to one thread, which publishes in arrival order.
 */
public final class MqttFaultProxy implements AutoCloseable {
  private final String front;
  private final String back;
  private final FaultPlan plan;
  private final MqttAsyncClient client;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "mqtt-fault-proxy");
    t.setDaemon(true);
    return t;
  });

  public MqttFaultProxy(MqttSettings settings, String front, String back, FaultPlan plan) {
    this.front = front;
    this.back = back;
    this.plan = plan;
    this.client = settings.connect(MqttSettings.clientId("noprop-proxy"), new Callback(), o -> { });
    try {
      client.subscribe(new String[] {MqttTopics.requests(front), MqttTopics.ROOT + back + "/rep/+", MqttTopics.status(back), MqttTopics.hello(back)},
          new int[] {1, 1, 1, 1}).waitForCompletion(5000);
    } catch (MqttException e) {
      throw new IllegalStateException("proxy cannot subscribe: " + e, e);
    }
  }

  private final class Callback implements MqttCallbackExtended {
    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void connectionLost(Throwable cause) {}

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      byte[] payload = message.getPayload();
      worker.execute(() -> forward(topic, payload));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {}
  }

  private void forward(String topic, byte[] payload) {
    try {
      String client = MqttTopics.lastLevel(topic);
      if (topic.equals(MqttTopics.status(back))) {
        this.client.publish(MqttTopics.status(front), payload, 1, true);
      } else if (topic.equals(MqttTopics.hello(back))) {
        this.client.publish(MqttTopics.hello(front), payload, 1, true);
      } else if (MqttTopics.requesterIfFor(front, topic) != null) {
        this.client.publish(MqttTopics.request(back, client), plan.damage(payload), 1, false);
      } else {
        this.client.publish(MqttTopics.reply(front, client), plan.damage(payload), 1, false);
      }
    } catch (MqttException e) {
      // lost: the controller's timeout resends
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    MqttSettings.closeQuietly(client);
  }
}
