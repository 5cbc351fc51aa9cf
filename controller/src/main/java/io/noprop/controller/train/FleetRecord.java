package io.noprop.controller.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.driver.fleet.FleetChipStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fleet.json}: which chips of a fleet are online, rewritten (atomically) with every
 * {@code metrics.csv} row of a run on a fleet, so that {@code noprop view} can show it while the
 * run trains. Only fleets write it.
 */
public final class FleetRecord {
  public static final String FILE = "fleet.json";

  private FleetRecord() {}

  public static void write(Path dir, long step, List<FleetChipStatus> chips) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("updated", Instant.now().toString());
    m.put("step", step);
    m.put("online", chips.stream().filter(FleetChipStatus::online).count());
    List<Map<String, Object>> list = new ArrayList<>();
    for (FleetChipStatus c : chips) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", c.name());
      e.put("online", c.online());
      e.put("last_error", c.lastError());
      list.add(e);
    }
    m.put("chips", list);
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, new ObjectMapper().writeValueAsString(m));
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
