package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.RetentionPolicy;
import java.time.Duration;
import java.util.List;
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
 * @param retention              the retention policy of a job that declares none (and of each field it leaves open)
 * @param disposalRetries        the wait before a failed disposal is tried again, doubling per failure in a row
 */
public record JobPolicy(Duration scheduledRetryInterval, Backoff restartBackoff, Backoff requestRetries,
                        int requestAttempts, Duration upgradeTrialPeriod, RetentionPolicy retention,
                        Backoff disposalRetries) {

    /** Keep the last 10 completed savepoints of the past 24 hours, as the Apache Flink operator does by default. */
    public static final RetentionPolicy DEFAULT_RETENTION = new RetentionPolicy(10, 86_400, false, false, List.of());
    public static final Backoff DEFAULT_DISPOSAL_RETRIES = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10));

    /** A policy with the default retention. */
    public JobPolicy(Duration scheduledRetryInterval, Backoff restartBackoff, Backoff requestRetries,
                     int requestAttempts, Duration upgradeTrialPeriod) {
        this(scheduledRetryInterval, restartBackoff, requestRetries, requestAttempts, upgradeTrialPeriod,
                DEFAULT_RETENTION, DEFAULT_DISPOSAL_RETRIES);
    }

    public JobPolicy {
        Objects.requireNonNull(scheduledRetryInterval, "scheduledRetryInterval");
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        Objects.requireNonNull(requestRetries, "requestRetries");
        Objects.requireNonNull(upgradeTrialPeriod, "upgradeTrialPeriod");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(disposalRetries, "disposalRetries");
        if (requestAttempts < 1) {
            throw new IllegalArgumentException("a standing request is tried at least once, not " + requestAttempts);
        }
    }

    /** The wait before restart number {@code attempt} (1-based) of failures in a row. */
    public Duration restartDelay(int attempt) {
        return restartBackoff.delay(attempt);
    }
}
