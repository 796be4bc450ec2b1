package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.JobId;

/** A result was reported for a trigger id this job never decided (or decided too long ago to remember). */
public class UnknownSavepointException extends IllegalArgumentException {

    public UnknownSavepointException(JobId jobId, String triggerId) {
        super("job " + jobId + " has no savepoint with trigger id " + triggerId);
    }
}
