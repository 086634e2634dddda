package io.pel.actors.internal;

import io.pel.cluster.PelSerializable;

/**
 * A task's identity: the node that accepted it and that node's sequence number. Unique across the
 * cluster because node uids are; printed as {@code <node-hex>-<seq>}.
 */
public record TaskId(long node, long seq) implements PelSerializable {
  @Override
  public String toString() {
    return Long.toHexString(node) + "-" + seq;
  }
}
