package dev.savepoints.flink.jobs;

import dev.savepoints.command.api.JobCancelled;
import dev.savepoints.command.api.JobDeregistered;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobFailed;
import dev.savepoints.command.api.JobManagerAddressSet;
import dev.savepoints.command.api.JobRegistered;
import dev.savepoints.command.api.JobRestartRefused;
import dev.savepoints.command.api.JobRestartScheduled;
import dev.savepoints.command.api.JobSettingsChanged;
import dev.savepoints.command.api.JobStateChanged;
import dev.savepoints.command.api.JobSubmissionFailed;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.RestartedFromSavepoint;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link WatchedJob} in step with the events, its state by the one mapping of events to states
 * ({@link dev.savepoints.command.api.JobState#after}). It runs in the transaction of the command that produced them
 * (a subscribing processor), so a saga reacting to a later event always finds the job's JobManager here. It handles
 * only the events that can change what it keeps: it is on the path of every command.
 */
@Component
@ProcessingGroup(WatchedJobProjection.PROCESSING_GROUP)
public class WatchedJobProjection {

    public static final String PROCESSING_GROUP = "flink-gateway-jobs";

    private final WatchedJobRepository jobs;

    public WatchedJobProjection(WatchedJobRepository jobs) {
        this.jobs = jobs;
    }

    @EventHandler
    void on(JobRegistered event, @Timestamp Instant at) {
        WatchedJob job = jobs.findById(event.jobId().toString()).orElseGet(() -> new WatchedJob(event.jobId().toString()));
        job.jobManagerUrl(event.settings().jobManagerUrl());
        job.flinkJobId(null);
        job.follow(event, at);
        jobs.save(job);
    }

    @EventHandler
    void on(JobSettingsChanged event) {
        jobs.findById(event.jobId().toString()).ifPresent(job -> job.jobManagerUrl(event.settings().jobManagerUrl()));
    }

    /** Where it differs from the spec's: the JobManager a job runs at until an upgrade has moved it. */
    @EventHandler
    void on(JobManagerAddressSet event) {
        jobs.findById(event.jobId().toString()).ifPresent(job -> job.jobManagerUrl(event.jobManagerUrl()));
    }

    @EventHandler
    void on(JobDeregistered event) {
        jobs.deleteById(event.jobId().toString());
    }

    @EventHandler
    void on(JobSubmitted event, @Timestamp Instant at) {
        started(event, event.flinkJobId(), at);
    }

    @EventHandler
    void on(RestartedFromSavepoint event, @Timestamp Instant at) {
        started(event, event.flinkJobId(), at);
    }

    @EventHandler
    void on(JobSubmissionRequested event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobStateChanged event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobFailed event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobSubmissionFailed event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobRestartScheduled event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobRestartRefused event, @Timestamp Instant at) {
        follow(event, at);
    }

    @EventHandler
    void on(JobCancelled event, @Timestamp Instant at) {
        follow(event, at);
    }

    private void started(JobEvent event, String flinkJobId, Instant at) {
        jobs.findById(event.jobId().toString()).ifPresent(job -> {
            job.flinkJobId(flinkJobId);
            job.follow(event, at);
        });
    }

    private void follow(JobEvent event, Instant at) {
        jobs.findById(event.jobId().toString()).ifPresent(job -> job.follow(event, at));
    }
}
