package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.KryoRegistrar;
import io.pel.cluster.PelSerializable;
import io.pel.cluster.internal.TestMessages.ClashingRegistrar;
import io.pel.cluster.internal.TestMessages.TestRegistrar;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pel.serialization.module-registrars}: the registrars that jars bring in their own {@code
 * reference.conf} add up, whichever jars are on the class path, and a value that is not a class name is
 * refused naming its key.
 */
class KryoSettingsTest {

  /** A wire class of the jar "alpha". */
  public record AlphaPayload(long value) implements PelSerializable {}

  /** A wire class of the jar "beta". */
  public record BetaPayload(String text) implements PelSerializable {}

  /** Named by {@code module-registrars/alpha/reference.conf}. */
  public static final class AlphaRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(AlphaPayload.class, 1100);
    }
  }

  /** Named by {@code module-registrars/beta/reference.conf}. */
  public static final class BetaRegistrar implements KryoRegistrar {
    @Override
    public void registerClasses(Registrations registrations) {
      registrations.register(BetaPayload.class, 1200);
    }
  }

  /**
   * A class path with two more jars, {@code alpha} and {@code beta}, each with a {@code reference.conf} of its
   * own (directories of this module's test resources stand for them).
   */
  private static ClassLoader twoJars() throws Exception {
    Path root = Path.of(KryoSettingsTest.class.getResource("/module-registrars").toURI());
    return new URLClassLoader(new URL[] {root.resolve("alpha").toUri().toURL(), root.resolve("beta").toUri().toURL()},
        KryoSettingsTest.class.getClassLoader());
  }

  private static Map<String, String> settingsOf(List<KryoSettings.Registrar> registrars) {
    return registrars.stream().collect(Collectors.toMap(KryoSettings.Registrar::className, KryoSettings.Registrar::setting));
  }

  private static InvalidSettingException invalid(String overrides) {
    return assertThrows(InvalidSettingException.class,
        () -> KryoRegistry.create(KryoSettings.fromConfig(TestMessages.config(overrides)), KryoSettingsTest.class.getClassLoader(),
            ActorRefResolution.none()));
  }

  @Test
  void theRegistrarsOfTwoReferenceConfFilesBothRunBeforeTheApplicationsList() throws Exception {
    ClassLoader loader = twoJars();
    Config config = ConfigFactory.parseString("pel.serialization.registrars = [\"" + TestRegistrar.class.getName() + "\"]")
        .withFallback(ConfigFactory.defaultReference(loader)).resolve();

    KryoSettings settings = KryoSettings.fromConfig(config);
    assertEquals(List.of(AlphaRegistrar.class.getName(), BetaRegistrar.class.getName(), TestRegistrar.class.getName()),
        settings.registrars().stream().map(KryoSettings.Registrar::className).toList(), "by module name, then the list");
    assertEquals(Map.of(AlphaRegistrar.class.getName(), "pel.serialization.module-registrars.alpha",
        BetaRegistrar.class.getName(), "pel.serialization.module-registrars.beta",
        TestRegistrar.class.getName(), "pel.serialization.registrars"), settingsOf(settings.registrars()));

    KryoCodec codec = new KryoCodec(settings, loader, ActorRefResolution.none());
    for (Object payload : List.of(new AlphaPayload(42), new BetaPayload("from beta"), new TestMessages.Receipt(new TestMessages.Money(1999, "EU")))) {
      assertEquals(payload, codec.fromBinary(codec.toBinary(payload), codec.manifest(payload)), payload.getClass().getName());
    }
    Map<Class<?>, Integer> ids = KryoRegistry.create(settings, loader, ActorRefResolution.none()).entries().stream()
        .collect(Collectors.toMap(KryoRegistry.Entry::type, KryoRegistry.Entry::id));
    assertEquals(1100, ids.get(AlphaPayload.class));
    assertEquals(1200, ids.get(BetaPayload.class));
  }

  @Test
  void anApplicationConfAddsAModuleRegistrarWithoutReplacingThoseOfTheJars() throws Exception {
    Config config = ConfigFactory.parseString("pel.serialization.module-registrars.mine = \"" + TestRegistrar.class.getName() + "\"")
        .withFallback(ConfigFactory.defaultReference(twoJars())).resolve();
    assertEquals(List.of(AlphaRegistrar.class.getName(), BetaRegistrar.class.getName(), TestRegistrar.class.getName()),
        KryoSettings.fromConfig(config).registrars().stream().map(KryoSettings.Registrar::className).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"com.example.Registrar\"", "[\"com.example.Registrar\"]", "42", "null"})
  void moduleRegistrarsThatAreNotAnObjectAreRefusedNamingTheKey(String value) {
    var e = assertThrows(InvalidSettingException.class,
        () -> KryoSettings.fromConfig(TestMessages.config("pel.serialization.module-registrars = " + value)));
    assertEquals("pel.serialization.module-registrars", e.setting());
    assertTrue(e.getMessage().contains("expected an object of module name = class name"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\"", "\"   \"", "42", "true", "null", "[\"com.example.Registrar\"]", "{ class = \"com.example.Registrar\" }"})
  void anEntryThatIsNotAClassNameIsRefusedNamingItsKey(String value) {
    var e = assertThrows(InvalidSettingException.class,
        () -> KryoSettings.fromConfig(TestMessages.config("pel.serialization.module-registrars.samples = " + value)));
    assertEquals("pel.serialization.module-registrars.samples", e.setting());
    assertTrue(e.getMessage().contains("expected a class name"), e.getMessage());
  }

  @Test
  void aModuleRegistrarThatDoesNotLoadNamesItsKeyAndTheValue() {
    var e = invalid("pel.serialization.module-registrars.samples = \"com.example.MissingRegistrar\"");
    assertEquals("pel.serialization.module-registrars.samples", e.setting());
    assertTrue(e.getMessage().contains("'com.example.MissingRegistrar'"), e.getMessage());
  }

  @Test
  void aModuleRegistrarOfTheWrongTypeNamesItsKeyAndTheInterface() {
    var e = invalid("pel.serialization.module-registrars.samples = \"java.lang.String\"");
    assertEquals("pel.serialization.module-registrars.samples", e.setting());
    assertTrue(e.getMessage().contains(KryoRegistrar.class.getName()), e.getMessage());
  }

  @Test
  void aModuleRegistrarThatTakesAnIdOfAnotherNamesItsKeyAndBothClasses() {
    var e = invalid("pel.serialization.module-registrars.clashing = \"" + ClashingRegistrar.class.getName() + "\"\n"
        + "pel.serialization.module-registrars.test = \"" + TestRegistrar.class.getName() + "\"\n"
        + "pel.serialization.registrars = []");
    assertEquals("pel.serialization.module-registrars.test", e.setting());
    assertTrue(e.getMessage().contains("id 1000 is taken twice"), e.getMessage());
    assertTrue(e.getMessage().contains(ClashingRegistrar.class.getName()), e.getMessage());
  }
}
