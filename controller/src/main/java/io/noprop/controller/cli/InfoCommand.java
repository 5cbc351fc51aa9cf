package io.noprop.controller.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.DatasetCatalog;
import io.noprop.controller.opt.Method;
import io.noprop.controller.train.RunConfig;
import io.noprop.driver.Device;
import io.noprop.driver.DeviceUri;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.HelloInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true, description = {"Print what a device says in HELLO.",
    "A simulated chip named without layers= is the one train would build for --dataset."})
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DeviceFlag device;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(names = "--dataset", defaultValue = RunConfig.DATASET, paramLabel = "NAME",
      description = {"A simulated chip named without layers= is sized to this dataset, as train sizes it (a csv: dataset is read for its shape).",
          "Default: ${DEFAULT-VALUE}."})
  String dataset;

  @Override
  public Integer call() throws Exception {
    DeviceUri uri = device.uri;
    if (SimSizing.applies(uri)) {
      int[] shape = DatasetCatalog.shape(dataset);
      if (shape == null) {
        var train = DatasetCatalog.load(dataset, null, RunConfig.SEED).train();
        shape = new int[] {train.features(), train.classes()};
      }
      uri = SimSizing.fit(uri, shape[0], shape[1]);
    }
    try (Device d = Devices.open(uri)) {
      HelloInfo h = d.info();
      Map<String, Object> m = toJson(d.uri(), h);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(new ObjectMapper().writeValueAsString(m));
      } else {
        out.printf("device        %s%n", d.uri());
        out.printf("id            %s%n", h.deviceId());
        out.printf("model         %s%n", h.model());
        out.printf("firmware      %s (protocol v%d)%n", h.firmwareVersion(), h.protocolVersion());
        out.printf("boot count    %s%n", h.bootCount() == 0 ? "0 (not tracked: a reboot cannot be detected)" : Long.toString(h.bootCount()));
        out.printf("layers        %s (%d parameters)%n", Arrays.toString(h.layerSizes()), h.parameterCount());
        out.printf("weights       [%s, %s], %s%n", h.weightMin(), h.weightMax(), h.weightLevels() == 0 ? "continuous" : h.weightLevels() + " levels");
        out.printf("limits        payload %d B, batch %d, %d dataset slots, %d dataset bytes%n", h.maxPayload(), h.maxBatch(), h.datasetSlots(), h.maxDatasetBytes());
        out.printf("capabilities  %s%n", String.join(" ", h.capabilityNames()));
        h.properties().forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
        out.printf("methods       (queries and UPDATE/WRITE_WEIGHTS payload bytes per step on this chip)%n");
        for (Map<String, Object> r : methods(h)) {
          out.printf("  %-16s %s%n", r.get("method"), r.containsKey("unsupported") ? "not on this chip: " + r.get("unsupported")
              : r.get("queries_per_step") + " queries, " + r.get("update_bytes_per_step") + " B" + (Boolean.TRUE.equals(r.get("seed_sized")) ? "" : " (whole weight vector)"));
        }
      }
    }
    return 0;
  }

  static Map<String, Object> toJson(String uri, HelloInfo h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", uri);
    m.put("device_id", h.deviceId());
    m.put("model", h.model());
    m.put("firmware_version", h.firmwareVersion());
    m.put("boot_count", h.bootCount());
    m.put("protocol_version", h.protocolVersion());
    m.put("layers", h.layerSizes());
    m.put("parameters", h.parameterCount());
    m.put("weight_min", h.weightMin());
    m.put("weight_max", h.weightMax());
    m.put("weight_levels", h.weightLevels());
    m.put("capabilities", h.capabilityNames());
    m.put("max_payload", h.maxPayload());
    m.put("max_batch", h.maxBatch());
    m.put("dataset_slots", h.datasetSlots());
    m.put("max_dataset_bytes", h.maxDatasetBytes());
    m.put("properties", h.properties());
    m.put("methods", methods(h));
    return m;
  }

  /** What each showcase method would cost per step on this chip, from HELLO alone. */
  static List<Map<String, Object>> methods(HelloInfo h) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String spec : Method.SHOWCASE) {
      Method m = Method.parse(spec);
      int k = m.directionsFor(1);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("method", spec);
      String why = m.unsupportedReason(h);
      if (why != null) {
        r.put("unsupported", why);
      } else {
        r.put("queries_per_step", m.queriesPerStep(1));
        r.put("update_bytes_per_step", m.updateBytesPerStep(k, h.parameterCount()));
        r.put("seed_sized", !m.rule().fullVector());
      }
      out.add(r);
    }
    return out;
  }
}
