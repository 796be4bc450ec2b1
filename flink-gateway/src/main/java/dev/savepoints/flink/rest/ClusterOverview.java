package dev.savepoints.flink.rest;

/** {@code GET /overview}: what the session cluster is and has. */
public record ClusterOverview(String flinkVersion, int taskManagers, int slotsTotal, int slotsAvailable, int jobsRunning) {
}
