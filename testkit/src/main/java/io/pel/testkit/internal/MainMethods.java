package io.pel.testkit.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Objects;

/** Finds the {@code static void main(String[])} of a class, checked the same way in the test JVM and in a node. */
public final class MainMethods {

  private MainMethods() {}

  /**
   * The class's own {@code static void main(String[])}, made accessible so that a package-private test class
   * may be a node's main class.
   *
   * @throws IllegalArgumentException naming the class when it declares no such method
   */
  public static Method find(Class<?> mainClass) {
    Objects.requireNonNull(mainClass, "mainClass");
    Method main;
    try {
      main = mainClass.getDeclaredMethod("main", String[].class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(mainClass.getName() + " declares no main(String[]) method, so it cannot be a node's main class");
    }
    if (!Modifier.isStatic(main.getModifiers()) || main.getReturnType() != void.class) {
      throw new IllegalArgumentException(mainClass.getName() + ".main(String[]) must be static and return void");
    }
    main.setAccessible(true);
    return main;
  }
}
