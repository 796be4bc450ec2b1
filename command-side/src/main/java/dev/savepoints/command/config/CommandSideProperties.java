package dev.savepoints.command.config;

import dev.savepoints.command.aggregate.JobPolicy;
import dev.savepoints.command.api.Backoff;
import dev.savepoints.command.api.RetentionPolicy;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the decision core ({@code savepoints.command.*}).
 *
 * @param scheduledRetryInterval how soon a failed or skipped automatic savepoint is tried again
 * @param restartBackoffInitial  wait before the first restart of a failed job; doubles for each restart
 *                               that follows without a savepoint completing in between
 * @param restartBackoffMax      the longest wait before a restart
 * @param snapshotThreshold      events between two snapshots of a job, so loading a long history stays cheap
 * @param eventFetchDelay        how long the event store's reader waits before it looks again for new events when
 *                               it found none: the longest a saga or projection can lag behind a decision
 * @param commandRetries         how often a command that lost a race with another replica's command on the same
 *                               job is sent again (optimistic concurrency on the job's event stream)
 * @param commandRetryBackoff    the wait before the first of those retries; it doubles for each one after
 * @param requestRetryInitial    wait before a standing request's savepoint (a savepointGeneration bump) that failed is
 *                               tried again; doubles for each failure in a row, up to {@code requestRetryMax}
 * @param requestRetryMax        the longest such wait
 * @param requestAttempts        how many times a standing request's savepoint is tried before it is given up
 * @param upgradeTrialPeriod     how long an upgrade's new version must run to count as a success; it is rolled back
 *                               (the previous version from the upgrade's savepoint) if it fails sooner
 * @param retentionMaxCount      how many completed savepoints of a job are kept when its FlinkCluster does not say
 *                               (0: no count limit)
 * @param retentionMaxAge        how old a kept savepoint may be when the FlinkCluster does not say (0: no age limit)
 * @param retentionDisposeExternal   whether savepoints taken outside the service fall under the limits when the
 *                                   FlinkCluster does not say
 * @param retentionDisposeOnDeletion whether deleting a FlinkCluster disposes of its savepoints when it does not say
 * @param disposalRetryInitial   wait before a failed disposal is tried again; doubles per failure in a row
 * @param disposalRetryMax       the longest such wait
 */
@ConfigurationProperties("savepoints.command")
public record CommandSideProperties(
        Duration scheduledRetryInterval,
        Duration restartBackoffInitial,
        Duration restartBackoffMax,
        Integer snapshotThreshold,
        Duration eventFetchDelay,
        Integer commandRetries,
        Duration commandRetryBackoff,
        Duration requestRetryInitial,
        Duration requestRetryMax,
        Integer requestAttempts,
        Duration upgradeTrialPeriod,
        Integer retentionMaxCount,
        Duration retentionMaxAge,
        Boolean retentionDisposeExternal,
        Boolean retentionDisposeOnDeletion,
        Duration disposalRetryInitial,
        Duration disposalRetryMax) {

    public CommandSideProperties {
        scheduledRetryInterval = positiveOr(scheduledRetryInterval, Duration.ofSeconds(30), "scheduled-retry-interval");
        restartBackoffInitial = positiveOr(restartBackoffInitial, Duration.ofSeconds(10), "restart-backoff-initial");
        restartBackoffMax = positiveOr(restartBackoffMax, Duration.ofMinutes(5), "restart-backoff-max");
        if (restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
            throw new IllegalArgumentException("savepoints.command.restart-backoff-max must not be below restart-backoff-initial");
        }
        eventFetchDelay = positiveOr(eventFetchDelay, Duration.ofMillis(100), "event-fetch-delay");
        commandRetries = commandRetries == null ? 5 : commandRetries;
        if (commandRetries < 0) {
            throw new IllegalArgumentException("savepoints.command.command-retries must not be negative");
        }
        commandRetryBackoff = positiveOr(commandRetryBackoff, Duration.ofMillis(20), "command-retry-backoff");
        requestRetryInitial = positiveOr(requestRetryInitial, Duration.ofSeconds(10), "request-retry-initial");
        requestRetryMax = positiveOr(requestRetryMax, Duration.ofMinutes(2), "request-retry-max");
        requestAttempts = requestAttempts == null ? 3 : requestAttempts;
        upgradeTrialPeriod = positiveOr(upgradeTrialPeriod, Duration.ofMinutes(1), "upgrade-trial-period");
        if (requestAttempts < 1) {
            throw new IllegalArgumentException("savepoints.command.request-attempts must be at least 1");
        }
        retentionMaxCount = retentionMaxCount == null ? JobPolicy.DEFAULT_RETENTION.maxCount() : retentionMaxCount;
        if (retentionMaxCount < 0) {
            throw new IllegalArgumentException("savepoints.command.retention-max-count must not be negative (0: no limit)");
        }
        retentionMaxAge = retentionMaxAge == null ? Duration.ofSeconds(JobPolicy.DEFAULT_RETENTION.maxAgeSeconds())
                : retentionMaxAge;
        if (retentionMaxAge.isNegative()) {
            throw new IllegalArgumentException("savepoints.command.retention-max-age must not be negative (0: no limit)");
        }
        retentionDisposeExternal = Boolean.TRUE.equals(retentionDisposeExternal);
        retentionDisposeOnDeletion = Boolean.TRUE.equals(retentionDisposeOnDeletion);
        disposalRetryInitial = positiveOr(disposalRetryInitial, JobPolicy.DEFAULT_DISPOSAL_RETRIES.initial(),
                "disposal-retry-initial");
        disposalRetryMax = positiveOr(disposalRetryMax, JobPolicy.DEFAULT_DISPOSAL_RETRIES.max(), "disposal-retry-max");
        snapshotThreshold = snapshotThreshold == null ? 100 : snapshotThreshold;
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("savepoints.command.snapshot-threshold must be at least 1");
        }
    }

    public static CommandSideProperties defaults() {
        return new CommandSideProperties(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    /** The part of these settings that the aggregate decides by. */
    public JobPolicy jobPolicy() {
        return new JobPolicy(scheduledRetryInterval, new Backoff(restartBackoffInitial, restartBackoffMax),
                new Backoff(requestRetryInitial, requestRetryMax), requestAttempts, upgradeTrialPeriod,
                new RetentionPolicy(retentionMaxCount, Math.toIntExact(retentionMaxAge.toSeconds()),
                        retentionDisposeExternal, retentionDisposeOnDeletion, List.of()),
                new Backoff(disposalRetryInitial, disposalRetryMax));
    }

    /** The wait before restart number {@code attempt} (1-based): initial × 2^(attempt-1), capped at the maximum. */
    public Duration restartBackoff(int attempt) {
        return jobPolicy().restartDelay(attempt);
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("savepoints.command." + name + " must be positive, was " + value);
        }
        return value;
    }
}
