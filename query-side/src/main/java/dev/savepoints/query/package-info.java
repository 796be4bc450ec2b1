/**
 * Read models projected from the events of command-side's api package: job status, savepoint history and the
 * audit log, served over REST and as SQL views. Depends on nothing of command-side but its api package.
 */
package dev.savepoints.query;
