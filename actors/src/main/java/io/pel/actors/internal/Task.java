package io.pel.actors.internal;

import io.pel.cluster.PelSerializable;

/**
 * One attempt of a task as it travels to a routee: (type name, shard key, payload), never code.
 *
 * @param shardKey {@code null} for an unkeyed task
 * @param attempt 1 for the first attempt
 */
public record Task(TaskId id, String type, String shardKey, Object payload, int attempt) implements PelSerializable {}
