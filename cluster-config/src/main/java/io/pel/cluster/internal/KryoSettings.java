package io.pel.cluster.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.pel.cluster.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code pel.serialization} settings, read and checked once when the serializer is built.
 *
 * @param classes user payload classes, registered under 5000 + their index
 * @param registrars the {@link io.pel.cluster.KryoRegistrar}s to run, in order: those of {@code
 *     module-registrars} by module name, then those of {@code registrars}
 * @param maxMessageSize largest serialized message accepted, in bytes, either way
 */
public record KryoSettings(List<String> classes, List<Registrar> registrars, int maxMessageSize) {

  /** The key of the registrars a jar brings in its own {@code reference.conf}, one per module. */
  static final String MODULE_REGISTRARS = "pel.serialization.module-registrars";
  /** The key of the application's list of registrars. */
  static final String REGISTRARS = "pel.serialization.registrars";

  /**
   * A registrar to run.
   *
   * @param className the binary name of a {@link io.pel.cluster.KryoRegistrar} class
   * @param setting the key that named it ({@code pel.serialization.module-registrars.<module>} or {@code
   *     pel.serialization.registrars}): what an error about it names
   */
  public record Registrar(String className, String setting) {
    public Registrar {
      Objects.requireNonNull(className, "className");
      Objects.requireNonNull(setting, "setting");
    }
  }

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
    List<Registrar> registrars = new ArrayList<>(moduleRegistrars(section));
    for (String name : stringList(section, "registrars")) registrars.add(new Registrar(name, REGISTRARS));
    return new KryoSettings(stringList(section, "classes"), registrars, size(section, "max-message-size"));
  }

  /**
   * The registrars of {@code module-registrars}, by module name: an object, so that the {@code reference.conf}
   * of every jar adds its own entry (of several files that set one list, only one would count). Sorted, so
   * every node runs them in the same order whatever the order of its class path.
   */
  private static List<Registrar> moduleRegistrars(Config section) {
    String key = "module-registrars";
    if (!section.hasPathOrNull(key)) return List.of();
    ConfigValue value = section.root().get(key);
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw new InvalidSettingException(MODULE_REGISTRARS, value.unwrapped(), "an object of module name = class name");
    }
    List<Registrar> registrars = new ArrayList<>();
    new TreeMap<>((ConfigObject) value).forEach((module, entry) -> {
      String setting = MODULE_REGISTRARS + "." + module;
      if (entry.valueType() != ConfigValueType.STRING || ((String) entry.unwrapped()).isBlank()) {
        throw new InvalidSettingException(setting, entry.unwrapped(), "a class name");
      }
      registrars.add(new Registrar(((String) entry.unwrapped()).trim(), setting));
    });
    return registrars;
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
