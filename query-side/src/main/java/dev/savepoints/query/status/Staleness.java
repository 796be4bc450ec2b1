package dev.savepoints.query.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How old a job's latest savepoint is against the job's own interval: the one computation behind the history page,
 * the {@code savepoint_age_seconds} gauge and the alert rules in {@code deploy/prometheus}. A job is {@code FINE}
 * up to {@value #LATE_AFTER_INTERVALS} intervals, {@code LATE} up to {@value #STALE_AFTER_INTERVALS} and
 * {@code STALE} beyond (the alert's threshold). Only a job that is meant to run is judged.
 *
 * @param ageSeconds      seconds since the job's state has been at risk ({@code JobStatus.savepointAgeFrom}); null
 *                        when the job is not meant to run or has not been deployed
 * @param intervalSeconds the job's {@code autoSavepointSeconds}; null when it has no schedule
 */
public record Staleness(Verdict verdict, Long ageSeconds, Integer intervalSeconds) {

    public static final int LATE_AFTER_INTERVALS = 2;
    public static final int STALE_AFTER_INTERVALS = 3;

    public enum Verdict {
        FINE, LATE, STALE, UNSCHEDULED, NOT_RUNNING;

        /** As the page shows it. */
        public String word() {
            return this == UNSCHEDULED ? "no schedule" : this == NOT_RUNNING ? "not running"
                    : name().toLowerCase(Locale.ROOT);
        }
    }

    public static Staleness of(boolean expectedToRun, Instant ageFrom, Integer intervalSeconds, Instant now) {
        Integer interval = intervalSeconds == null || intervalSeconds <= 0 ? null : intervalSeconds;
        if (!expectedToRun || ageFrom == null) {
            return new Staleness(Verdict.NOT_RUNNING, null, interval);
        }
        long age = Math.max(0, Duration.between(ageFrom, now).toSeconds());
        if (interval == null) {
            return new Staleness(Verdict.UNSCHEDULED, age, null);
        }
        Verdict verdict = age > (long) STALE_AFTER_INTERVALS * interval ? Verdict.STALE
                : age > (long) LATE_AFTER_INTERVALS * interval ? Verdict.LATE : Verdict.FINE;
        return new Staleness(verdict, age, interval);
    }

    /** Of a job's current status row. */
    public static Staleness of(JobStatusRow row, Instant now) {
        return of(row.expectedToRun, row.savepointAgeFrom, row.savepointIntervalSeconds, now);
    }
}
