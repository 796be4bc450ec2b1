package dev.savepoints.flink.rest;

/** A jar the JobManager holds: {@code id} is what {@code /jars/{id}/run} takes, {@code name} the uploaded file name. */
public record UploadedJar(String id, String name) {
}
