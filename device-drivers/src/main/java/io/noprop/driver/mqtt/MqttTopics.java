package io.noprop.driver.mqtt;

/**
 * The topic layout of PROTOCOL.md section 14, in one place. Every topic starts with the root
 * {@code noprop/chip/<chip-id>}; a chip id is one topic level (no {@code /}, {@code +}, {@code #}).
 *
 * <pre>
 *   noprop/chip/ID/req/CLIENT   controller CLIENT -> chip ID   one request frame per message, QoS 1
 *   noprop/chip/ID/rep/CLIENT   chip ID -> controller CLIENT   one reply frame per message, QoS 1
 *   noprop/chip/ID/status       retained "online BOOT" / "offline BOOT" (the chip's last will)
 *   noprop/chip/ID/hello        retained: the chip's HELLO reply payload (section 6)
 * </pre>
 */
public final class MqttTopics {
  private MqttTopics() {}

  public static final String ROOT = "noprop/chip/";

  /** Checks a chip or client id can be one topic level; returns it. */
  public static String level(String what, String id) {
    if (id.isEmpty() || id.contains("/") || id.contains("+") || id.contains("#") || id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " '" + id + "' must be one non-empty MQTT topic level, without '/', '+', '#'");
    }
    return id;
  }

  public static String request(String chip, String client) {
    return ROOT + chip + "/req/" + client;
  }

  /** What a chip subscribes to: requests from every controller. */
  public static String requests(String chip) {
    return ROOT + chip + "/req/+";
  }

  public static String reply(String chip, String client) {
    return ROOT + chip + "/rep/" + client;
  }

  public static String status(String chip) {
    return ROOT + chip + "/status";
  }

  public static String hello(String chip) {
    return ROOT + chip + "/hello";
  }

  /** The chip id in a topic under {@link #ROOT}, or null. */
  public static String chipOf(String topic) {
    if (!topic.startsWith(ROOT)) return null;
    int end = topic.indexOf('/', ROOT.length());
    return end < 0 ? null : topic.substring(ROOT.length(), end);
  }

  /**
   * The requesting client id when {@code topic} is exactly {@code noprop/chip/<chip>/req/<client>}
   * with one non-empty client level, else null: a chip acts only on requests addressed to it.
   */
  public static String requesterIfFor(String chip, String topic) {
    String prefix = ROOT + chip + "/req/";
    if (!topic.startsWith(prefix)) return null;
    String client = topic.substring(prefix.length());
    return client.isEmpty() || client.contains("/") ? null : client;
  }

  /** The last level of a topic (the client id of a req/rep topic). */
  public static String lastLevel(String topic) {
    return topic.substring(topic.lastIndexOf('/') + 1);
  }
}
