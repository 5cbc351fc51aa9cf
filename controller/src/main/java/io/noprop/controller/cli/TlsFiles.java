package io.noprop.controller.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The {@code --ca}, {@code --cert}, {@code --key} options of {@code serve} and {@code devices} as MQTT settings options. */
final class TlsFiles {
  private TlsFiles() {}

  static Map<String, String> options(Path ca, Path cert, Path key) {
    Map<String, String> o = new HashMap<>();
    if (ca != null) o.put("ca", ca.toString());
    if (cert != null) o.put("cert", cert.toString());
    if (key != null) o.put("key", key.toString());
    return o;
  }
}
