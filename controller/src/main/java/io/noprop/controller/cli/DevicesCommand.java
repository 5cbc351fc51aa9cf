package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.driver.mqtt.MqttChipDirectory;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.protocol.msg.HelloInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "devices", mixinStandardHelpOptions = true,
    description = {"List the chips a broker knows, from their retained status and HELLO.",
        "Broker credentials: NOPROP_MQTT_USER / NOPROP_MQTT_PASSWORD."})
final class DevicesCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--broker", required = true, paramLabel = "URL", description = "tcp://host:1883, mqtts://host:8883, ...")
  String broker;

  @Option(names = "--wait-ms", defaultValue = "500", description = "How long to collect retained messages. Default: ${DEFAULT-VALUE}.")
  long waitMs;

  @Option(names = "--json", description = "Print one JSON array.")
  boolean json;

  @Mixin TlsOptions tls;

  @Override
  public Integer call() throws Exception {
    MqttSettings settings = MqttSettings.of(broker, tls.options());
    List<MqttChipDirectory.Chip> chips = MqttChipDirectory.list(settings, Duration.ofMillis(waitMs));
    var out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (MqttChipDirectory.Chip c : chips) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("status", c.status());
        m.put("device", deviceUri(settings, c.id()));
        if (c.hello() != null) m.put("hello", InfoCommand.toJson(deviceUri(settings, c.id()), c.hello()));
        rows.add(m);
      }
      out.println(new ObjectMapper().writeValueAsString(rows));
      return 0;
    }
    if (chips.isEmpty()) {
      out.println("no chips on " + settings.broker() + " (none has a retained status under noprop/chip/)");
      return 0;
    }
    out.printf("%-16s %-8s %-12s %-16s %-14s %s%n", "ID", "STATUS", "MODEL", "LAYERS", "FIRMWARE", "DEVICE");
    for (MqttChipDirectory.Chip c : chips) {
      HelloInfo h = c.hello();
      String state = c.status().isEmpty() ? "?" : c.status().split(" ")[0];
      out.printf("%-16s %-8s %-12s %-16s %-14s %s%n", c.id(), state, h == null ? "?" : h.model(),
          h == null ? "?" : Arrays.toString(h.layerSizes()).replace(" ", ""), h == null ? "?" : h.firmwareVersion(), deviceUri(settings, c.id()));
    }
    return 0;
  }

  private static String deviceUri(MqttSettings s, String id) {
    return (s.tls() ? "mqtts://" : "mqtt://") + s.broker().substring(s.broker().indexOf("://") + 3) + "/" + id;
  }
}
