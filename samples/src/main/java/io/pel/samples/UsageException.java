package io.pel.samples;

/** A sample's command line is wrong; the message names the argument and the value, in one line. */
public final class UsageException extends Exception {

  public UsageException(String message) {
    super(message);
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
