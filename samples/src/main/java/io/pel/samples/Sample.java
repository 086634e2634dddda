package io.pel.samples;

import java.io.PrintStream;
import java.util.List;

/** An example application that {@code ./pel run NAME [ARGS]} starts through {@link Main}. */
public interface Sample {

  /** The name on the command line, for example {@code risk}. */
  String name();

  /** Multi-line usage: synopsis and options. */
  String usage();

  /**
   * Runs the sample, printing its results to {@code out}.
   *
   * @return the process exit code: 0 on success
   * @throws UsageException if {@code args} are wrong (the launcher then exits with 2)
   */
  int run(List<String> args, PrintStream out) throws UsageException;
}
