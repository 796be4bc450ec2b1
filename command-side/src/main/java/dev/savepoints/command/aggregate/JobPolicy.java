package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * What the service's configuration decides for every job, handed to the aggregate's handlers as a resource (a bean
 * built from {@code savepoints.command.*}), so that the aggregate never reads Spring configuration and each test
 * fixture picks its own. The JobManager allow-list stays apart ({@link dev.savepoints.command.api.JobManagerHosts}):
 * it comes from the gateway's configuration and is shared with whatever else checks settings.
 *
 * @param scheduledRetryInterval how soon a failed or put-off automatic savepoint is tried again
 * @param restartBackoff         the wait before restarting a failed job, doubling per failure in a row
 * @param requestRetries         the wait before a standing request's savepoint (a generation bump) that failed is
 *                               tried again, doubling per failure in a row
 * @param requestAttempts        how many times a standing request's savepoint is tried before it is given up
 * @param upgradeTrialPeriod     how long the new version of an upgrade must run before the upgrade succeeded; it is
 *                               rolled back if it fails sooner
 */
public record JobPolicy(Duration scheduledRetryInterval, Backoff restartBackoff, Backoff requestRetries,
                        int requestAttempts, Duration upgradeTrialPeriod) {

    public JobPolicy {
        Objects.requireNonNull(scheduledRetryInterval, "scheduledRetryInterval");
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        Objects.requireNonNull(requestRetries, "requestRetries");
        Objects.requireNonNull(upgradeTrialPeriod, "upgradeTrialPeriod");
        if (requestAttempts < 1) {
            throw new IllegalArgumentException("a standing request is tried at least once, not " + requestAttempts);
        }
    }

    /** The wait before restart number {@code attempt} (1-based) of failures in a row. */
    public Duration restartDelay(int attempt) {
        return restartBackoff.delay(attempt);
    }
}
