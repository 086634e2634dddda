package io.pel.samples.ledger;

/** A parallel run of a block could not finish: a batch failed for good, or came back wrong. */
public final class LedgerExecutionException extends RuntimeException {

  public LedgerExecutionException(String message) {
    super(message);
  }

  public LedgerExecutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
