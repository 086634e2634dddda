package io.pel.actors;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/**
 * A full Java type, generic arguments included, for the input or output of a {@link TaskType}: made as an
 * anonymous subclass, {@code new TypeRef<List<String>>() {}}, whose type argument the JVM keeps. Two are
 * equal when their types are ({@code List<String>} is not {@code List<Integer>}).
 *
 * <p>What a node can check of a value at run time is its erased class ({@link #rawType()}): a
 * {@code List<Integer>} passed where {@code List<String>} is declared is caught by the compiler, not by
 * PEL.
 *
 * @param <T> the type it names
 */
public abstract class TypeRef<T> {

  private final Type type;
  private final Class<T> rawType;

  /** @throws IllegalArgumentException if made without a type argument, or with a type variable or wildcard in it */
  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType parameterized) || getClass().getSuperclass() != TypeRef.class) {
      throw new IllegalArgumentException("a TypeRef is made as new TypeRef<YourType>() {}, directly, with its type argument");
    }
    this.type = parameterized.getActualTypeArguments()[0];
    this.rawType = rawOf(type);
  }

  private TypeRef(Class<T> type) {
    this.type = type;
    this.rawType = type;
  }

  /** The type that is exactly {@code type}, without generic arguments. */
  public static <T> TypeRef<T> of(Class<T> type) {
    if (type == null) throw new NullPointerException("type");
    return new TypeRef<>(type) {};
  }

  /** The full type, as the compiler saw it: a {@link Class} or a {@link ParameterizedType}. */
  public Type type() {
    return type;
  }

  /** Its erased class: what every value of it is an instance of. */
  public Class<T> rawType() {
    return rawType;
  }

  /** Its name as in source, without packages: {@code List<String>}, {@code Map<String, Long>}. */
  public String simpleName() {
    return simpleName(type);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TypeRef<?> ref && ref.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return type.getTypeName();
  }

  @SuppressWarnings("unchecked") // the erasure of T is the class of every T
  private static <T> Class<T> rawOf(Type type) {
    if (type instanceof Class<?> plain) return (Class<T>) plain;
    if (type instanceof ParameterizedType parameterized) {
      for (Type argument : parameterized.getActualTypeArguments()) check(argument);
      return (Class<T>) parameterized.getRawType();
    }
    if (type instanceof GenericArrayType array) {
      return (Class<T>) java.lang.reflect.Array.newInstance(rawOf(array.getGenericComponentType()), 0).getClass();
    }
    throw new IllegalArgumentException("a TypeRef names a concrete type, not " + kind(type) + " '" + type.getTypeName() + "'");
  }

  private static void check(Type argument) {
    if (argument instanceof TypeVariable<?> || argument instanceof WildcardType) {
      throw new IllegalArgumentException("a TypeRef names a concrete type, not one with " + kind(argument) + " '" + argument.getTypeName() + "'");
    }
    rawOf(argument);
  }

  private static String kind(Type type) {
    if (type instanceof TypeVariable<?>) return "the type variable";
    if (type instanceof WildcardType) return "the wildcard";
    return "the type";
  }

  private static String simpleName(Type type) {
    if (type instanceof Class<?> plain) return plain.getSimpleName();
    if (type instanceof ParameterizedType parameterized) {
      StringBuilder name = new StringBuilder(simpleName(parameterized.getRawType())).append('<');
      Type[] arguments = parameterized.getActualTypeArguments();
      for (int i = 0; i < arguments.length; i++) name.append(i == 0 ? "" : ", ").append(simpleName(arguments[i]));
      return name.append('>').toString();
    }
    if (type instanceof GenericArrayType array) return simpleName(array.getGenericComponentType()) + "[]";
    return type.getTypeName();
  }
}
