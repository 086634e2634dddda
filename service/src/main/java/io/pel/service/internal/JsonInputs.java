package io.pel.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How the service reads JSON (task inputs, job bodies), and how it says why a value is not what was
 * expected: in JSON's words ("expected a string, not a number"), never with a Java or library class name.
 *
 * <p>A text input takes a JSON string only: Jackson by default also turns a number or a boolean into its
 * text, which would run a task of a string type on {@code "5"} when the client sent {@code 5}. Other types
 * read as Jackson reads them (a whole number from {@code 41}, a record from an object...).
 */
final class JsonInputs {

  /** Where Jackson says a token was, with the source left out: only its column is kept. */
  private static final Pattern SOURCE = Pattern.compile("\\[Source: [^\\]]*?, column: (\\d+)\\]");

  private JsonInputs() {}

  /**
   * The service's mapper: Jackson's defaults, but a text value must be a JSON string, and nothing may follow
   * the value ({@code "a" "b"} is not read as {@code "a"}).
   */
  static ObjectMapper mapper() {
    ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    json.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return json;
  }

  /** Why the text is not JSON, in one line without class names or the parser's own settings. */
  static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    if (message.startsWith("Trailing token")) return "another value follows the first: one JSON value per line, or per job";
    return ErrorText.withoutClassNames(SOURCE.matcher(message.lines().findFirst().orElse("")).replaceAll("column $1"));
  }

  /**
   * Why {@code value} (the JSON read as a tree) could not be read as the type wanted, in one line without class
   * names: what was expected where, and what came ({@code expected a string at name, not a number}).
   */
  static String problem(JsonProcessingException e, JsonNode value) {
    if (e instanceof PropertyBindingException unknown) {
      String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream().map(String::valueOf)
          .sorted().collect(Collectors.joining(", ", " (known: ", ")"));
      return "unknown field '" + unknown.getPropertyName() + "'" + where(unknown, 1) + known;
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      String got = kind(at(value, mismatch));
      String expected = expected(mismatch.getTargetType());
      if (got != null && !got.equals(expected)) return "expected " + expected + where(mismatch, 0) + ", not " + got;
    }
    return problem(e) + (e instanceof JsonMappingException mapping ? where(mapping, 0) : "");
  }

  /** The part of {@code value} at the exception's path; null if the path leads out of it. */
  private static JsonNode at(JsonNode value, JsonMappingException e) {
    JsonNode at = value;
    for (JsonMappingException.Reference step : e.getPath()) {
      if (at == null) return null;
      at = step.getFieldName() != null ? at.get(step.getFieldName()) : step.getIndex() >= 0 ? at.get(step.getIndex()) : null;
    }
    return at;
  }

  /** " at name.items[2]": where in the value the problem is, leaving out the last {@code dropLast} steps. */
  private static String where(JsonMappingException e, int dropLast) {
    StringBuilder path = new StringBuilder();
    var steps = e.getPath();
    for (int i = 0; i < steps.size() - dropLast; i++) {
      JsonMappingException.Reference step = steps.get(i);
      if (step.getFieldName() != null) path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
      else if (step.getIndex() >= 0) path.append('[').append(step.getIndex()).append(']');
    }
    return path.length() == 0 ? "" : " at " + path;
  }

  /** What a value of {@code type} is in JSON. */
  static String expected(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) return "a string";
    if (type == boolean.class || type == Boolean.class) return "true or false";
    if (type == long.class || type == int.class || type == short.class || type == byte.class || type == Long.class
        || type == Integer.class || type == Short.class || type == Byte.class || type == java.math.BigInteger.class) {
      return "a whole number";
    }
    if (type.isPrimitive() || Number.class.isAssignableFrom(type)) return "a number";
    if (type.isArray() || Collection.class.isAssignableFrom(type)) return "an array";
    if (type.isEnum()) return "a string";
    if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) return "an object";
    return "a " + type.getSimpleName();
  }

  private static String kind(JsonNode node) {
    if (node == null) return null;
    if (node.isTextual()) return "a string";
    if (node.isNumber()) return "a number";
    if (node.isBoolean()) return "a boolean";
    if (node.isObject()) return "an object";
    if (node.isArray()) return "an array";
    if (node.isNull()) return "null";
    return null;
  }
}
