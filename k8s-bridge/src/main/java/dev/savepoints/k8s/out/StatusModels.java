package dev.savepoints.k8s.out;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.status.JobStatus;
import dev.savepoints.k8s.out.ClusterStatusPatcher.Outcome;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and writes the stored status models, and writes a model to its FlinkCluster. */
public class StatusModels {

    private static final Logger log = LoggerFactory.getLogger(StatusModels.class);
    static final Duration RETRY = Duration.ofSeconds(1);

    private final ClusterStatusRecords records;
    private final ClusterStatusPatcher cluster;
    private final ObjectMapper json;

    public StatusModels(ClusterStatusRecords records, ClusterStatusPatcher cluster, ObjectMapper json) {
        this.records = records;
        this.cluster = cluster;
        this.json = json;
    }

    /** The record of a job, locked for this transaction; a new one, for a job not seen before. */
    ClusterStatusRecord lock(JobId job) {
        return records.findLocked(job.toString()).orElseGet(() -> records.save(new ClusterStatusRecord(job.toString(),
                text(JobStatus.NONE))));
    }

    JobStatus read(ClusterStatusRecord record) {
        try {
            return json.readValue(record.status(), JobStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status model of " + record.jobId() + " cannot be read", e);
        }
    }

    String text(JobStatus status) {
        try {
            return json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a status model cannot be written as JSON", e);
        }
    }

    /**
     * Writes the record's model to its FlinkCluster unless it shows it already, then removes the annotation of a
     * control that ended. A write the API server does not take is tried again a second later, so that one resource
     * it refuses never holds up the others.
     */
    void show(ClusterStatusRecord record) {
        JobId job = JobId.parse(record.jobId());
        JobStatus status = read(record);
        try {
            if (!record.written()) {
                if (status.uid() != null
                        && cluster.writeStatus(job, status.uid(), StatusRendering.render(job, status)) == Outcome.GONE) {
                    log.debug("Status of {} not written: its FlinkCluster {} is gone", job, status.uid());
                }
                record.shown();
            }
            if (record.annotationPending()) {
                if (status.uid() != null) {
                    cluster.removeControlAnnotation(job, status.uid());
                }
                record.annotationRemoved();
            }
        } catch (KubernetesClientException e) {
            log.warn("Status of {} not written yet ({}); trying again", job, e.getMessage());
            record.retryAt(Instant.now().plus(RETRY));
        }
    }

    /** Writes every change due by {@code now}; returns how many. */
    int showDue(Instant now, int limit) {
        List<ClusterStatusRecord> due = records.lockDue(now, limit);
        due.forEach(this::show);
        return due.size();
    }
}
