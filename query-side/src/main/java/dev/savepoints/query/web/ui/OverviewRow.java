package dev.savepoints.query.web.ui;

import dev.savepoints.query.status.JobStatusView;
import dev.savepoints.query.status.Staleness;

/** One job as the overview lists it. */
record OverviewRow(String namespace, String name, String href, String state, String jobManager,
                   String lastSavepoint, String lastSavepointAt, Long ageSeconds, String age, String interval,
                   String staleness, String stalenessClass, long failures24h, int failuresInARow, String failureCause) {

    static OverviewRow of(JobStatusView job, Staleness staleness, String href, long failures24h) {
        Staleness.Verdict verdict = staleness.verdict();
        return new OverviewRow(job.namespace(), job.name(), href, job.state(),
                job.jobManagerState() == null ? "" : job.jobManagerState(),
                Format.time(job.lastSavepointTime()), job.lastSavepointTime() == null ? "" : job.lastSavepointTime().toString(),
                staleness.ageSeconds(), Format.seconds(staleness.ageSeconds()),
                Format.seconds(staleness.intervalSeconds()), verdict.word(), Format.stalenessClass(verdict), failures24h,
                job.consecutiveFailures(), job.failureCause());
    }
}
