package io.pel.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pel.cluster.InvalidSettingException;
import java.time.Duration;

/**
 * Reads one typed value from the {@code pel} section (keys relative to it, such as {@code retry.max-attempts}), or throws an {@link InvalidSettingException} naming the
 * full key, the value and what was expected. Every settings record of PEL reads through it.
 */
public final class ConfigReader {

  private ConfigReader() {}

  public static String string(Config pel, String key) {
    try {
      return pel.getString(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a string");
    }
  }

  public static int intAtLeast(Config pel, String key, int min) {
    int value;
    try {
      value = pel.getInt(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a whole number");
    }
    if (value < min) throw new InvalidSettingException("pel." + key, value, "a whole number >= " + min);
    return value;
  }

  public static double number(Config pel, String key) {
    try {
      return pel.getDouble(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a number");
    }
  }

  public static double atLeast(Config pel, String key, double min) {
    double value = number(pel, key);
    if (!(value >= min) || Double.isInfinite(value)) throw new InvalidSettingException("pel." + key, value, "a number >= " + min);
    return value;
  }

  public static boolean bool(Config pel, String key) {
    try {
      return pel.getBoolean(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "on or off");
    }
  }

  public static double fraction(Config pel, String key) {
    double value = number(pel, key);
    if (!(value > 0 && value <= 1)) throw new InvalidSettingException("pel." + key, value, "a number in (0, 1]");
    return value;
  }

  public static Duration positive(Config pel, String key) {
    Duration d;
    try {
      d = pel.getDuration(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a duration such as 500ms or 30s");
    }
    if (d.isNegative() || d.isZero()) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a positive duration");
    }
    return d;
  }

  /** A size in bytes ({@code 1 MiB}, {@code 512 KiB}...) from {@code min} to {@code max}. */
  public static long size(Config pel, String key, long min, long max) {
    long value;
    try {
      value = pel.getBytes(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new InvalidSettingException("pel." + key, pel.getValue(key).unwrapped(), "a size such as 1 MiB");
    }
    if (value < min || value > max) throw new InvalidSettingException("pel." + key, value, "a size from " + min + " to " + max + " bytes");
    return value;
  }
}
