package io.noprop.controller.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The TLS files of a broker connection ({@code serve --mqtt}, {@code devices}), as MQTT settings options. */
final class TlsOptions {
  @Option(names = "--ca", paramLabel = "PEM", description = "CA certificate(s) to trust for a TLS broker, instead of the JVM's trust store.")
  Path ca;

  @Option(names = "--cert", paramLabel = "PEM", description = "This client's certificate, for a TLS broker that requires client certificates (with --key).")
  Path cert;

  @Option(names = "--key", paramLabel = "PEM", description = "The unencrypted PKCS#8 private key of --cert.")
  Path key;

  /** The files given, keyed as {@code MqttSettings} reads them ({@code ca}, {@code cert}, {@code key}). */
  Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    if (ca != null) o.put("ca", ca.toString());
    if (cert != null) o.put("cert", cert.toString());
    if (key != null) o.put("key", key.toString());
    return o;
  }
}
