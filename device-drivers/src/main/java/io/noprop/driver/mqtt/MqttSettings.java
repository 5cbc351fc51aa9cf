package io.noprop.driver.mqtt;

import io.noprop.driver.DeviceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * How to reach a broker: its address in Paho's form ({@code tcp://host:1883} or
 * {@code ssl://host:8883}) and the credentials. Credentials come from URI options
 * ({@code user}, {@code password}) or else from {@code NOPROP_MQTT_USER} /
 * {@code NOPROP_MQTT_PASSWORD}, so a password need not appear in a command line.
 *
 * <p>{@link #connect} builds a Paho 1.2.5 client with what its defaults get wrong: memory
 * persistence (Paho's default writes to the working directory), a TCP_NODELAY socket factory
 * (without it a QoS 1 round trip waits ~40 ms on Nagle), automatic reconnect with a short
 * ceiling, and a first connect retried here, because Paho never retries a first connect that
 * failed.
 */
public record MqttSettings(String broker, String user, char[] password, Duration firstConnect, Path caFile,
    Path clientCert, Path clientKey) {
  public static final String ENV_USER = "NOPROP_MQTT_USER";
  public static final String ENV_PASSWORD = "NOPROP_MQTT_PASSWORD";

  /**
   * @param address {@code tcp://}, {@code mqtt://}, {@code ssl://} or {@code mqtts://} then host[:port];
   *     a path after the host is ignored
   * @param options {@code user}, {@code password}, {@code connect_timeout_ms}, {@code ca} (a PEM file
   *     of the certificate authority to trust for TLS instead of the JVM's trust store), {@code cert}
   *     and {@code key} (this client's certificate chain and its unencrypted PKCS#8 private key, PEM,
   *     for brokers that require client certificates)
   */
  public static MqttSettings of(String address, Map<String, String> options, Map<String, String> env) {
    int sep = address.indexOf("://");
    if (sep <= 0) throw new IllegalArgumentException("broker '" + address + "' must look like tcp://host:1883 or mqtts://host:8883");
    String scheme = address.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = address.substring(sep + 3);
    int slash = rest.indexOf('/');
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    if (hostPort.isEmpty()) throw new IllegalArgumentException("broker '" + address + "' names no host");
    boolean tls = switch (scheme) {
      case "tcp", "mqtt" -> false;
      case "ssl", "mqtts" -> true;
      default -> throw new IllegalArgumentException("broker scheme '" + scheme + "' in '" + address + "' is not one of tcp, mqtt, ssl, mqtts");
    };
    if (hostPort.lastIndexOf(':') < 0 || hostPort.endsWith("]")) hostPort += tls ? ":8883" : ":1883";
    String user = options.getOrDefault("user", env.get(ENV_USER));
    String password = options.getOrDefault("password", env.get(ENV_PASSWORD));
    long connectMs = Long.parseLong(options.getOrDefault("connect_timeout_ms", "10000"));
    String ca = options.get("ca");
    if (ca != null && !tls) throw new IllegalArgumentException("option ca=" + ca + " needs a TLS broker (mqtts:// or ssl://), not " + address);
    String cert = options.get("cert");
    String key = options.get("key");
    if ((cert == null) != (key == null)) throw new IllegalArgumentException("options cert and key go together: give both or neither");
    if (cert != null && !tls) throw new IllegalArgumentException("option cert=" + cert + " needs a TLS broker (mqtts:// or ssl://), not " + address);
    return new MqttSettings((tls ? "ssl://" : "tcp://") + hostPort, user, password == null ? null : password.toCharArray(), Duration.ofMillis(connectMs),
        ca == null ? null : Path.of(ca), cert == null ? null : Path.of(cert), key == null ? null : Path.of(key));
  }

  public static MqttSettings of(String address, Map<String, String> options) {
    return of(address, options, System.getenv());
  }

  public boolean tls() {
    return broker.startsWith("ssl://");
  }

  /** A unique client id: MQTT brokers disconnect the older of two clients with the same id. */
  public static String clientId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
  }

  MqttConnectOptions options() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(true);
    o.setMaxReconnectDelay(1000);
    o.setKeepAliveInterval(10);
    o.setConnectionTimeout(5);
    o.setMaxInflight(1000);
    o.setSocketFactory(tls() ? NoDelaySocketFactory.tls(tlsFactory()) : NoDelaySocketFactory.plain());
    if (user != null) o.setUserName(user);
    if (password != null) o.setPassword(password);
    return o;
  }

  /**
   * The JVM's default TLS factory, or one trusting only the {@link #caFile} certificates and/or
   * presenting the {@link #clientCert} with its key.
   */
  private SSLSocketFactory tlsFactory() {
    if (caFile == null && clientCert == null) return (SSLSocketFactory) SSLSocketFactory.getDefault();
    try {
      TrustManager[] trust = null; // null: the JVM's trust store
      if (caFile != null) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certificates(caFile)) ks.setCertificateEntry("ca-" + i++, c);
        if (i == 0) throw new IllegalArgumentException("no certificate in " + caFile);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trust = tmf.getTrustManagers();
      }
      KeyManager[] keys = null;
      if (clientCert != null) {
        List<Certificate> chain = certificates(clientCert);
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate in " + clientCert);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] none = new char[0];
        ks.setKeyEntry("client", privateKey(clientKey), none, chain.toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, none);
        keys = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new DeviceException(DeviceException.Kind.BAD_URI, "cannot set up TLS with ca=" + caFile + " cert=" + clientCert + " key=" + clientKey
          + ": " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
  }

  /** An unencrypted PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}, what OpenSSL 3 writes), RSA or EC. */
  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem);
    int b = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int e = text.indexOf("-----END PRIVATE KEY-----");
    if (b < 0 || e < b) {
      throw new IllegalArgumentException(pem + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(b + 27, e));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (InvalidKeySpecException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }

  /**
   * Connects a new client, retrying the first connect until {@link #firstConnect} has passed.
   * A refused login is not retried: it will not get better by itself.
   *
   * @param configure sets the will (and anything else) on the options before connecting
   */
  /** How long a refused first connect is retried (a broker starting up), however long connect_timeout_ms is. */
  static final Duration REFUSED_GRACE = Duration.ofSeconds(1);

  private String host() {
    return URI.create(broker).getHost();
  }

  private int port() {
    int p = URI.create(broker).getPort();
    return p > 0 ? p : tls() ? 8883 : 1883;
  }

  public MqttAsyncClient connect(String clientId, MqttCallbackExtended callback, Consumer<MqttConnectOptions> configure) {
    MqttAsyncClient client;
    try {
      client = new MqttAsyncClient(broker, clientId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new DeviceException(DeviceException.Kind.BAD_URI, "cannot use broker " + broker + ": " + e.getMessage(), e);
    }
    client.setCallback(callback);
    MqttConnectOptions o = options();
    configure.accept(o);
    long deadline = System.nanoTime() + firstConnect.toNanos();
    long refusedDeadline = System.nanoTime() + Math.min(firstConnect.toNanos(), REFUSED_GRACE.toNanos());
    long backoff = 50;
    while (true) {
      try {
        client.connect(o).waitForCompletion(firstConnect.toMillis() + 1000);
        return client;
      } catch (MqttSecurityException e) {
        closeQuietly(client);
        throw new DeviceException(DeviceException.Kind.LINK_DOWN, "broker " + broker + " refused the login"
            + (user == null ? " (no user given: set ?user=...&password=... or " + ENV_USER + "/" + ENV_PASSWORD + ")" : " of user '" + user + "'")
            + ": " + describe(e), e);
      } catch (MqttException e) {
        if (e.getCause() instanceof UnknownHostException) {
          closeQuietly(client);
          throw new DeviceException(DeviceException.Kind.LINK_DOWN, "cannot connect to broker " + broker + ": unknown host " + host()
              + " (no address for that name); check the host name in the device URI", e);
        }
        // Refused: nothing listens there. Waiting the whole connect timeout helps no one; a broker
        // that is just starting gets REFUSED_GRACE to open its port.
        if (e.getCause() instanceof ConnectException && System.nanoTime() > refusedDeadline) {
          closeQuietly(client);
          throw new DeviceException(DeviceException.Kind.LINK_DOWN, "cannot connect to broker " + broker + ": connection refused, nothing listens on "
              + host() + " port " + port() + "; is the broker (e.g. mosquitto) running, and is the port right?", e);
        }
        if (System.nanoTime() > deadline) {
          closeQuietly(client);
          throw new DeviceException(DeviceException.Kind.LINK_DOWN, "cannot connect to broker " + broker + " within "
              + firstConnect.toMillis() + " ms: " + describe(e), e);
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          closeQuietly(client);
          throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted while connecting to " + broker, ie);
        }
        backoff = Math.min(1000, backoff * 2);
      }
    }
  }

  /** True when the broker answered a SUBSCRIBE with failure (0x80) for some filter: its ACL refuses this user. */
  public static boolean refused(IMqttToken subscription) {
    int[] granted = subscription.getGrantedQos();
    if (granted == null) return false;
    for (int q : granted) if (q == 0x80) return true;
    return false;
  }

  /** Paho's message with its reason code named, as users search for the number. */
  public static String describe(MqttException e) {
    String name = switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_CLIENT_TIMEOUT -> "timeout";
      case MqttException.REASON_CODE_CLIENT_NOT_CONNECTED -> "not connected";
      case MqttException.REASON_CODE_CONNECTION_LOST -> "connection lost";
      case MqttException.REASON_CODE_CONNECT_IN_PROGRESS -> "connect in progress";
      case MqttException.REASON_CODE_MAX_INFLIGHT -> "too many publishes in flight";
      case MqttException.REASON_CODE_FAILED_AUTHENTICATION -> "bad user name or password";
      case MqttException.REASON_CODE_NOT_AUTHORIZED -> "not authorized";
      case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "unable to connect to server";
      default -> "";
    };
    String cause = e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "";
    return (name.isEmpty() ? "" : name + ", ") + "code " + e.getReasonCode() + cause;
  }

  public static void closeQuietly(MqttAsyncClient c) {
    try {
      if (c.isConnected()) c.disconnect(200).waitForCompletion(500);
    } catch (MqttException ignored) {
      // closing anyway
    }
    try {
      c.close(true);
    } catch (MqttException ignored) {
      // nothing left to release
    }
  }

  @Override
  public String toString() {
    return broker + (user == null ? "" : " as " + user);
  }
}
