package io.noprop.driver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed device address: {@code scheme:target?key=value&key=value}.
 *
 * <pre>
 *   sim:rram?seed=3            scheme "sim",    target "rram"
 *   serial:/dev/ttyUSB0?baud=921600
 *   mqtt://host:1883/chip-1    scheme "mqtt",   target "//host:1883/chip-1"
 * </pre>
 */
public record DeviceUri(String text, String scheme, String target, Map<String, String> options) {
  public DeviceUri {
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  public static DeviceUri parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new DeviceException(DeviceException.Kind.BAD_URI,
          "device '" + text + "' has no scheme; write it like sim:rram, serial:/dev/ttyUSB0 or mqtt://host/chip");
    }
    String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = text.substring(colon + 1);
    Map<String, String> opts = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String kv : rest.substring(q + 1).split("&")) {
        if (kv.isEmpty()) continue;
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new DeviceException(DeviceException.Kind.BAD_URI, "device option '" + kv + "' in '" + text + "' is not key=value");
        }
        try {
          opts.put(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
          throw new DeviceException(DeviceException.Kind.BAD_URI,
              "device option '" + kv + "' in '" + text + "' has a broken %-escape: " + e.getMessage(), e);
        }
      }
      rest = rest.substring(0, q);
    }
    return new DeviceUri(text, scheme, rest, opts);
  }

  /** This address with option {@code key} set to {@code value} (added last, or replaced in place). */
  public DeviceUri withOption(String key, String value) {
    Map<String, String> opts = new LinkedHashMap<>(options);
    opts.put(key, value);
    StringBuilder t = new StringBuilder(scheme).append(':').append(target);
    char sep = '?';
    for (Map.Entry<String, String> e : opts.entrySet()) {
      t.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return new DeviceUri(t.toString(), scheme, target, opts);
  }

  /** Escapes only what would change the parse (so paths and host names stay readable). */
  private static String encode(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == '%' || c == '&' || c == '=' || c == '?' || c == '#' || c == '+' || c <= ' ') {
        for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) b.append('%').append(String.format("%02X", x & 0xff));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return text;
  }
}
