package io.pel.cluster;

/**
 * A configuration key or environment variable has a value PEL cannot use. The message names the key or
 * variable, the value and what was expected; start-up stops with it.
 */
public final class InvalidSettingException extends IllegalArgumentException {

  private final String setting;

  /** @param setting the key or environment variable at fault, for example {@code PEL_PORT} */
  public InvalidSettingException(String setting, Object value, String expected) {
    super(setting + " = '" + value + "' is not valid: expected " + expected);
    this.setting = setting;
  }

  /** The configuration key or environment variable at fault. */
  public String setting() {
    return setting;
  }
}
