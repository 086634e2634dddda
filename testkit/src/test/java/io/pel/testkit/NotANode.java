package io.pel.testkit;

/** A class that cannot be a node's main class: its main is not static. For {@link JvmClusterBuilderTest}. */
final class NotANode {

  /** An instance method named main. */
  public void main(String[] args) {
    throw new UnsupportedOperationException("never called");
  }
}
