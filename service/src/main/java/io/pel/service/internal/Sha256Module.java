package io.pel.service.internal;

import io.pel.actors.ExecutionLayer;
import io.pel.actors.NonRetryableException;
import io.pel.actors.TaskType;
import io.pel.service.TaskModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The service's built-in task type {@code sha256}: a string in, the lowercase hex SHA-256 of its UTF-8 bytes
 * out. Named in this module's {@code META-INF/services/io.pel.service.TaskModule}, so a node of the service
 * serves it with whatever other modules its class path has; public for {@link java.util.ServiceLoader}.
 */
public final class Sha256Module implements TaskModule {

  /** The built-in type. */
  public static final TaskType<String, String> SHA256 = TaskType.of("sha256", String.class, String.class).asIdempotent();

  @Override
  public List<TaskType<?, ?>> register(ExecutionLayer layer) {
    layer.register(SHA256, (text, ctx) -> sha256(text));
    return List.of(SHA256);
  }

  /**
   * The lowercase hex SHA-256 of {@code text}'s UTF-8 bytes.
   *
   * @throws NonRetryableException if {@code text} has a surrogate without its pair (JSON's {@code "\ud800"}):
   *     such text has no UTF-8 bytes, and the JDK's encoder would hash a {@code ?} in its place
   */
  public static String sha256(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else {
        throw new NonRetryableException(String.format("the text has a lone surrogate \\u%04x at char %d: it has no UTF-8 bytes to hash", (int) c, i));
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
