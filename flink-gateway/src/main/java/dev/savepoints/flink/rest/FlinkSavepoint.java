package dev.savepoints.flink.rest;

import java.time.Instant;

/** A completed savepoint in a job's checkpoint history, whoever took it; {@code id} is Flink's checkpoint id. */
public record FlinkSavepoint(long id, String location, Instant triggeredAt, Instant completedAt) {
}
