package io.pel.samples;

/** A sample's command line is wrong; the message names the argument and the value, in one line. */
public final class UsageException extends Exception {

  public UsageException(String message) {
    super(message);
  }

  /**
   * {@code args} as {@code --flag value} pairs, each flag one of {@code flags}, in order; a flag given twice
   * keeps its last value.
   *
   * @throws UsageException naming an unknown option, a stray argument, or a flag without a value
   */
  public static java.util.Map<String, String> options(java.util.List<String> args, String... flags) throws UsageException {
    java.util.List<String> known = java.util.List.of(flags);
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String flag = args.get(i);
      if (!known.contains(flag)) {
        throw new UsageException(flag.startsWith("-") ? "unknown option '" + flag + "'" : "unexpected argument '" + flag + "'");
      }
      if (i + 1 >= args.size()) throw new UsageException("option " + flag + " needs a value");
      values.put(flag, args.get(i + 1));
    }
    return values;
  }

  /**
   * Option {@code flag} of {@code options} (as {@link #options} parsed them) as a whole number in {@code
   * min..max}, or {@code fallback} when it was not given.
   *
   * @throws UsageException naming the option and the value when it is not a number or out of range
   */
  public static long wholeNumber(java.util.Map<String, String> options, String flag, long min, long max, long fallback)
      throws UsageException {
    String value = options.get(flag);
    return value == null ? fallback : wholeNumber(flag, value, min, max);
  }

  /**
   * {@code value} of option {@code flag} as a whole number in {@code min..max} ({@code _} separators allowed).
   *
   * @throws UsageException naming the option and the value when it is not a number or out of range
   */
  public static long wholeNumber(String flag, String value, long min, long max) throws UsageException {
    long n;
    try {
      n = Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " '" + value + "' is not a whole number");
    }
    if (n < min || n > max) {
      throw new UsageException(flag + " '" + value + "' is out of range " + min + ".." + max);
    }
    return n;
  }
}
