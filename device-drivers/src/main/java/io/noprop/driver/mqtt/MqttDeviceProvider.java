package io.noprop.driver.mqtt;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.DeviceOption;
import io.noprop.driver.DeviceOptions;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.fleet.FleetDevice;
import io.noprop.driver.fleet.FleetOptions;
import io.noprop.driver.spi.DeviceProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code mqtt://host[:1883]/CHIP[,CHIP...][?options]}: chips served through an MQTT broker
 * (PROTOCOL.md section 14). One chip id opens one chip; a comma-separated list opens a fleet that
 * trains one model on all of them. Both are a {@link FleetDevice}, so a chip that restarts or a
 * broker that restarts mid-run is re-joined (datasets re-uploaded, weights re-programmed).
 *
 * <p>Options: {@code user}, {@code password} (else {@code NOPROP_MQTT_USER} /
 * {@code NOPROP_MQTT_PASSWORD}), {@code ca}, {@code cert}, {@code key} (TLS, {@link MqttSettings}), {@code timeout_ms} per attempt (1000), {@code attempts} (10),
 * {@code connect_timeout_ms} for the first connect (10000), and the fleet's {@code deadline_ms},
 * {@code give_up_ms}, {@code rejoin_ms}, {@code verify_every} (500 for a fleet, 0 for one chip),
 * {@code drift_tol} ({@link FleetOptions}).
 */
public class MqttDeviceProvider implements DeviceProvider {
  @Override
  public String scheme() {
    return "mqtt";
  }

  @Override
  public String usage() {
    return scheme() + "://HOST[:PORT]/CHIP[,CHIP...][?user=..&timeout_ms=..]   chips served through an MQTT broker; several ids train as one fleet";
  }

  static final DeviceOptions OPTIONS = new DeviceOptions("mqtt", List.of(
      DeviceOption.text("user", "broker user (else $" + MqttSettings.ENV_USER + ")"),
      DeviceOption.text("password", "broker password (else $" + MqttSettings.ENV_PASSWORD + ")"),
      DeviceOption.text("ca", "PEM file of the certificate authority to trust (TLS)"),
      DeviceOption.text("cert", "PEM certificate chain of this client (TLS, with key)"),
      DeviceOption.text("key", "unencrypted PKCS#8 PEM key of this client (TLS, with cert)"),
      DeviceOption.integer("connect_timeout_ms", 1, 3_600_000, 10_000, "ms", "how long the first connect and subscription are retried"),
      DeviceOption.integer("timeout_ms", 1, 3_600_000, 1000, "ms", "silence after which a request is sent again"),
      DeviceOption.integer("attempts", 1, 1000, 10, "", "sends of one request before the chip counts as failed"),
      DeviceOption.integer("deadline_ms", 1, 3_600_000, FleetOptions.DEFAULT.stepDeadline().toMillis(), "ms",
          "how long a step waits for the pairs it dealt out before going on without the late ones"),
      DeviceOption.integer("give_up_ms", 1, 86_400_000, FleetOptions.DEFAULT.giveUp().toMillis(), "ms", "how long a call waits while no chip can answer"),
      DeviceOption.integer("rejoin_ms", 1, 3_600_000, FleetOptions.DEFAULT.rejoinEvery().toMillis(), "ms", "how often an offline chip is probed"),
      DeviceOption.integer("verify_every", 0, Integer.MAX_VALUE, FleetOptions.DEFAULT.verifyEvery(), "updates",
          "read every chip's weights back every this many updates (0: never; one chip: 0 unless given)"),
      DeviceOption.decimal("drift_tol", 0, Double.MAX_VALUE, FleetOptions.DEFAULT.driftTolerance(), "weight units",
          "largest |chip - shadow| accepted by the read-back before the chip is re-programmed")));

  @Override
  public DeviceOptions options() {
    return OPTIONS;
  }

  @Override
  public Device open(DeviceUri uri) {
    String target = uri.target();
    if (!target.startsWith("//")) throw bad(uri, "write it as " + scheme() + "://host:1883/chip-id");
    int slash = target.indexOf('/', 2);
    if (slash < 0 || slash == target.length() - 1) throw bad(uri, "it names no chip; write " + scheme() + "://host:1883/chip-id[,chip-id...]");
    String hostPort = target.substring(2, slash);
    List<String> ids = new ArrayList<>();
    for (String id : target.substring(slash + 1).split(",")) {
      if (id.isBlank()) continue;
      try {
        ids.add(MqttTopics.level("chip id", id.trim()));
      } catch (IllegalArgumentException e) {
        throw bad(uri, e.getMessage());
      }
    }
    if (ids.isEmpty()) throw bad(uri, "it names no chip");
    MqttSettings settings;
    RetryPolicy retry;
    FleetOptions fleet;
    try {
      settings = MqttSettings.of(scheme() + "://" + hostPort, uri.options());
      retry = new RetryPolicy(Duration.ofMillis(OPTIONS.integer(uri, "timeout_ms")), (int) OPTIONS.integer(uri, "attempts"));
      Map<String, String> fo = new HashMap<>(uri.options());
      // reading every weight back costs ~4 bytes per parameter: worth it where chips can drift
      // apart, i.e. in a fleet; a single chip has nothing to drift from but its own updates
      if (ids.size() == 1) fo.putIfAbsent("verify_every", "0");
      fleet = FleetOptions.of(fo);
    } catch (IllegalArgumentException e) {
      throw bad(uri, e.getMessage());
    }
    List<Supplier<Device>> openers = new ArrayList<>();
    for (String id : ids) {
      String memberUri = scheme() + "://" + hostPort + "/" + id;
      openers.add(() -> {
        MqttLink link = new MqttLink(settings, id);
        return new ProtocolDevice(memberUri, link, retry);
      });
    }
    return new FleetDevice(uri.text(), ids, openers, fleet);
  }

  private static DeviceException bad(DeviceUri uri, String why) {
    return new DeviceException(DeviceException.Kind.BAD_URI, "cannot open " + uri + ": " + why);
  }

  /** {@code mqtts://}: the same over TLS (port 8883 by default), with the JVM's trust store. */
  public static final class Tls extends MqttDeviceProvider {
    @Override
    public String scheme() {
      return "mqtts";
    }
  }
}
