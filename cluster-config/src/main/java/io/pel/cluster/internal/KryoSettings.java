package io.pel.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.pel.cluster.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The {@code pel.serialization} settings, read and checked once when the serializer is built.
 *
 * @param classes user payload classes, registered under 5000 + their index
 * @param registrars {@link io.pel.cluster.KryoRegistrar} class names, run in order
 * @param maxMessageSize largest serialized message accepted, in bytes, either way
 */
public record KryoSettings(List<String> classes, List<String> registrars, int maxMessageSize) {

  /** Smallest accepted {@code max-message-size}: below it not even PEL's own envelopes fit. */
  static final long MIN_MESSAGE_SIZE = 1024;
  /** Largest accepted {@code max-message-size}: a Java array cannot be larger. */
  static final long MAX_MESSAGE_SIZE = Integer.MAX_VALUE - 16;

  public KryoSettings {
    classes = List.copyOf(classes);
    registrars = List.copyOf(registrars);
    if (maxMessageSize < MIN_MESSAGE_SIZE || maxMessageSize > MAX_MESSAGE_SIZE) {
      throw new InvalidSettingException(
          "pel.serialization.max-message-size", maxMessageSize, "a size from 1 KiB to 2 GiB");
    }
  }

  /**
   * Reads {@code pel.serialization} from {@code config}, which must include PEL's reference.conf.
   *
   * @throws InvalidSettingException naming the key and the value that cannot be used
   */
  public static KryoSettings fromConfig(Config config) {
    Config section = config.getConfig("pel.serialization");
    List<String> registrars = new ArrayList<>(protocolRegistrars(section));
    registrars.addAll(stringList(section, "registrars"));
    return new KryoSettings(stringList(section, "classes"), registrars, size(section, "max-message-size"));
  }

  /** PEL modules' own registrars, by module name; sorted so every node runs them in the same order. */
  private static List<String> protocolRegistrars(Config section) {
    String key = "protocol-registrars";
    if (!section.hasPath(key)) return List.of();
    Config modules;
    try {
      modules = section.getConfig(key);
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException("pel.serialization." + key, section.getValue(key).unwrapped(), "an object of module name = class name");
    }
    List<String> names = new ArrayList<>();
    for (String module : new TreeSet<>(modules.root().keySet())) {
      try {
        names.add(modules.getString(module).trim());
      } catch (ConfigException.WrongType e) {
        throw new InvalidSettingException("pel.serialization." + key + "." + module, modules.getValue(module).unwrapped(), "a class name");
      }
    }
    return names;
  }

  private static List<String> stringList(Config section, String key) {
    try {
      List<String> list = section.getStringList(key);
      for (String name : list) {
        if (name.isBlank()) throw new InvalidSettingException("pel.serialization." + key, list, "no empty entries");
      }
      return list.stream().map(String::trim).toList();
    } catch (ConfigException.WrongType e) {
      throw new InvalidSettingException(
          "pel.serialization." + key, section.getValue(key).unwrapped(), "a list of class names");
    }
  }

  private static int size(Config section, String key) {
    long bytes;
    try {
      bytes = section.getBytes(key);
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      throw new InvalidSettingException(
          "pel.serialization." + key, section.getValue(key).unwrapped(), "a size such as 512 KiB or 8 MiB");
    }
    if (bytes < MIN_MESSAGE_SIZE || bytes > MAX_MESSAGE_SIZE) {
      throw new InvalidSettingException("pel.serialization." + key, bytes, "a size from 1 KiB to 2 GiB");
    }
    return (int) bytes;
  }
}
