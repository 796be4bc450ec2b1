package dev.savepoints.command.api;

/** Flink's savepoint format ({@code formatType} of the savepoint REST call). */
public enum SavepointFormatType {
    CANONICAL,
    NATIVE
}
