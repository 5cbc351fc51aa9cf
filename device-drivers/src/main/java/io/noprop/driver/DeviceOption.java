package io.noprop.driver;

import java.util.Locale;

/**
 * One option a device scheme takes in its URI ({@code serial:/dev/ttyACM0?baud=115200}): its key,
 * what kind of value, the range a number must lie in, the default, the unit and one line of doc,
 * so that every scheme checks, lists and documents its options the same way.
 *
 * @param defaultValue as written in a URI, or empty when the option has no default (e.g. a password)
 */
public record DeviceOption(String key, Kind kind, double min, double max, String defaultValue, String unit, String doc) {
  /** What a value must look like. */
  public enum Kind { INTEGER, DECIMAL, TEXT }

  public static DeviceOption integer(String key, long min, long max, long dflt, String unit, String doc) {
    return new DeviceOption(key, Kind.INTEGER, min, max, Long.toString(dflt), unit, doc);
  }

  public static DeviceOption decimal(String key, double min, double max, double dflt, String unit, String doc) {
    return new DeviceOption(key, Kind.DECIMAL, min, max, Double.toString(dflt), unit, doc);
  }

  public static DeviceOption text(String key, String doc) {
    return new DeviceOption(key, Kind.TEXT, 0, 0, "", "", doc);
  }

  /** Why {@code value} is not acceptable, or null when it is. */
  public String problem(String value) {
    String v = value.strip();
    switch (kind) {
      case INTEGER -> {
        try {
          long n = Long.parseLong(v);
          if (n < min || n > max) return "must be an integer in " + range();
        } catch (NumberFormatException e) {
          return "must be an integer in " + range();
        }
      }
      case DECIMAL -> {
        try {
          double d = Double.parseDouble(v);
          if (!(d >= min && d <= max)) return "must be a number in " + range();
        } catch (NumberFormatException e) {
          return "must be a number in " + range();
        }
      }
      case TEXT -> {
        if (v.isEmpty()) return "must not be empty";
      }
    }
    return null;
  }

  private String range() {
    String hi = max == Long.MAX_VALUE || max == Double.MAX_VALUE ? "..." : fmt(max);
    return "[" + fmt(min) + ", " + hi + "]" + (unit.isEmpty() ? "" : " (" + unit + ")");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%g", d);
  }

  /** One line for {@code noprop devices} and docs: {@code baud=921600  bits per second of the line}. */
  public String describe() {
    String dflt = defaultValue.isEmpty() ? "" : "=" + defaultValue;
    return key + dflt + (unit.isEmpty() ? "" : " [" + unit + "]") + "  " + doc;
  }
}
