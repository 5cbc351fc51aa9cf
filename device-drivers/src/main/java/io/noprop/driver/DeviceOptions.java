package io.noprop.driver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The options one device scheme declares. {@link #check} rejects, before anything is opened, a key
 * the scheme does not take (naming the ones it does) and a value out of its range; the typed
 * getters then read checked values or the declared defaults.
 */
public final class DeviceOptions {
  private final String scheme;
  private final Map<String, DeviceOption> byKey = new LinkedHashMap<>();

  public DeviceOptions(String scheme, List<DeviceOption> options) {
    this.scheme = scheme;
    for (DeviceOption o : options) {
      if (byKey.put(o.key(), o) != null) throw new IllegalArgumentException("option " + o.key() + " declared twice for " + scheme);
    }
  }

  public List<DeviceOption> all() {
    return new ArrayList<>(byKey.values());
  }

  /** Throws {@link DeviceException.Kind#BAD_URI} for an unknown key or a bad value in {@code uri}. */
  public void check(DeviceUri uri) {
    for (Map.Entry<String, String> e : uri.options().entrySet()) {
      DeviceOption o = byKey.get(e.getKey());
      if (o == null) {
        throw new DeviceException(DeviceException.Kind.BAD_URI, "unknown option '" + e.getKey() + "' in '" + uri + "'; " + scheme
            + ": devices take " + String.join(", ", new TreeSet<>(byKey.keySet())));
      }
      String why = o.problem(e.getValue());
      if (why != null) throw new DeviceException(DeviceException.Kind.BAD_URI, "option " + e.getKey() + "=" + e.getValue() + " in '" + uri + "' " + why);
    }
  }

  private DeviceOption declared(String key) {
    DeviceOption o = byKey.get(key);
    if (o == null) throw new IllegalArgumentException(scheme + ": has no option " + key);
    return o;
  }

  private String raw(DeviceUri uri, String key) {
    String v = uri.options().get(key);
    return (v == null ? declared(key).defaultValue() : v).strip();
  }

  public long integer(DeviceUri uri, String key) {
    return Long.parseLong(raw(uri, key));
  }

  public double decimal(DeviceUri uri, String key) {
    return Double.parseDouble(raw(uri, key));
  }

  /** The value given, or null when absent and without a default. */
  public String text(DeviceUri uri, String key) {
    String v = raw(uri, key);
    return v.isEmpty() ? null : v;
  }
}
