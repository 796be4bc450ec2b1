/**
 * Read models projected from the events of command-side's api package: job status ({@code status}), savepoint
 * history ({@code history}) and the audit log ({@code audit}), served over REST ({@code web}) and as SQL views.
 * One tracking processor ({@link dev.savepoints.query.QueryProjections#PROCESSING_GROUP}) writes them all, in
 * event order, so they can be rebuilt from the event store by resetting its token.
 */
package dev.savepoints.query;
