package io.pel.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One run of {@link Main} as the launcher makes it: exit code, standard output and standard error. */
public record MainRun(int code, String out, String err) {

  /** Runs {@code Main} with {@code args}, capturing both streams. */
  public static MainRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new MainRun(code, out.toString(StandardCharsets.UTF_8).replace("\r", ""), err.toString(StandardCharsets.UTF_8).replace("\r", ""));
  }
}
