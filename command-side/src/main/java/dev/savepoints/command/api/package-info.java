/**
 * The only part of command-side other modules may use: commands, events, queries and the value types they carry.
 * Messages are records, one per file; they are serialized as JSON into the event store, so a field, once
 * released, keeps its name and meaning.
 */
package dev.savepoints.command.api;
