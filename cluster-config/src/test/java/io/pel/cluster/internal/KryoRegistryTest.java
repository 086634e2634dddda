package io.pel.cluster.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pel.cluster.InvalidSettingException;
import io.pel.cluster.KryoRegistrar;
import io.pel.cluster.internal.TestMessages.ClashingRegistrar;
import io.pel.cluster.internal.TestMessages.Money;
import io.pel.cluster.internal.TestMessages.OutOfRangeRegistrar;
import io.pel.cluster.internal.TestMessages.Point;
import io.pel.cluster.internal.TestMessages.Receipt;
import io.pel.cluster.internal.TestMessages.TestRegistrar;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KryoRegistryTest {

  private static KryoRegistry registry(String overrides) {
    return KryoRegistry.create(KryoSettings.fromConfig(TestMessages.config(overrides)),
        KryoRegistryTest.class.getClassLoader(), ActorRefResolution.none());
  }

  private static InvalidSettingException invalid(String overrides) {
    return assertThrows(InvalidSettingException.class, () -> registry(overrides));
  }

  @Test
  void builtInsHaveTheirFixedIdsInTheReservedRange() {
    Map<Class<?>, Integer> ids = registry("").entries().stream()
        .collect(Collectors.toMap(KryoRegistry.Entry::type, KryoRegistry.Entry::id));
    // These ids are part of the wire format: changing one breaks mixed-version clusters.
    assertEquals(100, ids.get(UUID.class));
    assertEquals(110, ids.get(byte[].class));
    assertEquals(120, ids.get(java.util.ArrayList.class));
    assertEquals(131, ids.get(List.of(1, 2, 3).getClass()));
    assertEquals(160, ids.get(org.apache.pekko.actor.typed.ActorRef.class));
    registry("").entries().stream().filter(e -> e.origin().equals("PEL built-ins"))
        .forEach(e -> assertTrue(e.id() >= 100 && e.id() <= 199, e.toString()));
    assertNull(ids.get(Throwable.class));
  }

  @Test
  void registrarsComeBeforeConfigClassesWhichTake5000PlusTheirIndex() {
    KryoRegistry registry = registry("");
    Map<Class<?>, Integer> ids = new java.util.HashMap<>();
    registry.entries().forEach(e -> ids.put(e.type(), e.id()));
    assertEquals(1000, ids.get(Receipt.class));
    assertEquals(1001, ids.get(Money.class));
    for (int i = 0; i < TestMessages.CONFIG_CLASSES.size(); i++) {
      assertEquals(5000 + i, ids.get(TestMessages.CONFIG_CLASSES.get(i)));
    }
    Set<Integer> unique = new HashSet<>(ids.values());
    assertEquals(ids.size(), unique.size(), "ids are unique");
  }

  @Test
  void manifestsResolveOnlyToRegisteredClasses() {
    KryoRegistry registry = registry("");
    assertSame(Point.class, registry.registeredClass(Point.class.getName()));
    assertNull(registry.registeredClass("java.lang.ProcessBuilder"));
    assertNull(registry.registeredClass("no.such.Class"));
  }

  @Test
  void registrarThatDoesNotLoadNamesTheKeyAndTheValue() {
    var e = invalid("pel.serialization.registrars = [\"com.example.MissingRegistrar\"]");
    assertEquals("pel.serialization.registrars", e.setting());
    assertTrue(e.getMessage().contains("com.example.MissingRegistrar"), e.getMessage());
  }

  @Test
  void registrarOfTheWrongTypeNamesTheInterface() {
    var e = invalid("pel.serialization.registrars = [\"java.lang.String\"]");
    assertEquals("pel.serialization.registrars", e.setting());
    assertTrue(e.getMessage().contains("'java.lang.String'"), e.getMessage());
    assertTrue(e.getMessage().contains(KryoRegistrar.class.getName()), e.getMessage());
  }

  @Test
  void classThatDoesNotLoadNamesTheKeyAndTheValue() {
    var e = invalid("pel.serialization.classes = [\"com.example.Missing\"]");
    assertEquals("pel.serialization.classes", e.setting());
    assertTrue(e.getMessage().contains("com.example.Missing"), e.getMessage());
  }

  @Test
  void interfaceInClassesIsRefused() {
    var e = invalid("pel.serialization.classes = [\"java.lang.Runnable\"]");
    assertEquals("pel.serialization.classes", e.setting());
    assertTrue(e.getMessage().contains("concrete class"), e.getMessage());
  }

  @Test
  void duplicateIdNamesBothClassesAndTheRegistrar() {
    var e = invalid("pel.serialization.registrars = [\"" + TestRegistrar.class.getName() + "\", \""
        + ClashingRegistrar.class.getName() + "\"]");
    assertEquals("pel.serialization.registrars", e.setting());
    assertTrue(e.getMessage().contains(ClashingRegistrar.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("id 1000 is taken twice"), e.getMessage());
    assertTrue(e.getMessage().contains(Receipt.class.getName()) && e.getMessage().contains(Point.class.getName()),
        e.getMessage());
  }

  @Test
  void classRegisteredByARegistrarAndByConfigNamesBothPlaces() {
    var e = invalid("pel.serialization.classes = [\"" + Receipt.class.getName() + "\"]");
    assertEquals("pel.serialization.classes", e.setting());
    assertTrue(e.getMessage().contains("registrar " + TestRegistrar.class.getName() + " registers it under id 1000"),
        e.getMessage());
  }

  @Test
  void sameClassTwiceInConfigIsRefused() {
    var e = invalid("pel.serialization.classes = [\"" + Point.class.getName() + "\", \"" + Point.class.getName() + "\"]");
    assertTrue(e.getMessage().contains("pel.serialization.classes[0]"), e.getMessage());
  }

  @Test
  void registrarIdOutsideItsRangeIsRefused() {
    var e = invalid("pel.serialization.registrars = [\"" + OutOfRangeRegistrar.class.getName() + "\"]");
    assertTrue(e.getMessage().contains("under id 42, outside 100..4999"), e.getMessage());
  }

  @Test
  void registrarClashingWithABuiltInIsRefused() {
    KryoRegistrar takesUuidId = r -> r.register(Point.class, 100);
    var table = new KryoRegistry.Table();
    BuiltinRegistrations.addTo(table, ActorRefResolution.none());
    var e = assertThrows(IllegalArgumentException.class, () -> takesUuidId.registerClasses(table));
    assertTrue(e.getMessage().contains(UUID.class.getName()) && e.getMessage().contains(Point.class.getName()),
        e.getMessage());
  }

  @Test
  void maxMessageSizeMustBeASensibleSize() {
    var tooSmall = assertThrows(InvalidSettingException.class,
        () -> KryoSettings.fromConfig(TestMessages.config("pel.serialization.max-message-size = 10")));
    assertEquals("pel.serialization.max-message-size", tooSmall.setting());
    var notASize = assertThrows(InvalidSettingException.class,
        () -> KryoSettings.fromConfig(TestMessages.config("pel.serialization.max-message-size = lots")));
    assertTrue(notASize.getMessage().contains("'lots'"), notASize.getMessage());
    assertEquals(8 * 1024 * 1024, KryoSettings.fromConfig(TestMessages.config("")).maxMessageSize());
  }
}
