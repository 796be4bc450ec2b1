package dev.savepoints.k8s.out;

import dev.savepoints.command.api.AutomaticSavepointScheduled;
import dev.savepoints.command.api.ControlFailed;
import dev.savepoints.command.api.ControlRejected;
import dev.savepoints.command.api.ControlRequested;
import dev.savepoints.command.api.ControlSucceeded;
import dev.savepoints.command.api.JobCancelRequested;
import dev.savepoints.command.api.JobEvent;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobRestartRequested;
import dev.savepoints.command.api.JobSubmissionRequested;
import dev.savepoints.command.api.JobSubmitted;
import dev.savepoints.command.api.SavepointTriggered;
import dev.savepoints.command.api.status.ControlState;
import dev.savepoints.command.api.status.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Writes each FlinkCluster's status from its job's status model ({@link JobStatus#next}, the mapping the REST and
 * SQL status follow too): all events of a batch that concern one job become one write of the whole status, and
 * the annotation of a control that ended is removed in the same round. A change that only starts something (a
 * savepoint triggered, a control accepted) is not written at once but after the progress delay
 * ({@link DueStatusWrites}), so a savepoint that ends within it costs one write. Kubernetes Events follow the
 * commit; events older than the Events' time to live (a processor catching up on history) record none.
 */
@ProcessingGroup(StatusWriter.PROCESSING_GROUP)
public class StatusWriter {

    public static final String PROCESSING_GROUP = "k8s-cluster-status";
    /** A change older than this is history being caught up on: written once it settles, not event by event. */
    static final Duration FRESH = Duration.ofMinutes(1);
    private static final String BATCH = StatusWriter.class.getName() + ".batch";
    private static final Set<Class<?>> STARTS = Set.of(SavepointTriggered.class, ControlRequested.class,
            JobSubmissionRequested.class, JobSubmitted.class, JobCancelRequested.class, JobRestartRequested.class,
            AutomaticSavepointScheduled.class);

    private final StatusModels models;
    private final ClusterStatusPatcher cluster;
    private final Duration eventTtl;

    public StatusWriter(StatusModels models, ClusterStatusPatcher cluster, Duration eventTtl) {
        this.models = models;
        this.cluster = cluster;
        this.eventTtl = eventTtl;
    }

    @EventHandler
    void on(JobEvent event, @Timestamp Instant at) {
        Batch batch = batch();
        JobId job = event.jobId();
        ClusterStatusRecord record = batch.records.computeIfAbsent(job, models::lock);
        JobStatus before = models.read(record);
        JobStatus after = before.next(event, at);
        Instant now = Instant.now();
        if (after != before) {
            record.changed(models.text(after));
            boolean urgent = !STARTS.contains(event.getClass()) && at.isAfter(now.minus(FRESH));
            batch.urgent.merge(job, urgent, Boolean::logicalOr);
        }
        if (endsControl(event, before)) {
            batch.annotationRemovals.add(job);
        }
        if (after.uid() != null && at.isAfter(now.minus(eventTtl))) {
            ClusterEvents.of(event, before, after, at).ifPresent(kube -> batch.events.add(new Pending(job, after.uid(), kube)));
        }
    }

    /** A control ended, or one was refused while none runs: the annotation that asked for it is removed. */
    private static boolean endsControl(JobEvent event, JobStatus before) {
        return event instanceof ControlSucceeded || event instanceof ControlFailed
                || (event instanceof ControlRejected && !(before.control() != null
                && before.control().state() == ControlState.PROGRESSING));
    }

    private Batch batch() {
        UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get();
        return unitOfWork.getOrComputeResource(BATCH, key -> {
            Batch batch = new Batch();
            unitOfWork.onPrepareCommit(u -> write(batch));
            unitOfWork.afterCommit(u -> batch.events.forEach(pending -> cluster.event(pending.job(), pending.uid(),
                    pending.event().warning(), pending.event().reason(), pending.event().message())));
            return batch;
        });
    }

    /** In the batch's transaction, so a crash before the commit writes the batch again. */
    private void write(Batch batch) {
        Instant now = Instant.now();
        batch.annotationRemovals.forEach(job -> batch.records.get(job).removeAnnotation());
        batch.records.forEach((job, record) -> {
            if (batch.urgent.getOrDefault(job, false)) {
                models.show(record);
            } else {
                record.pending(now);
            }
        });
    }

    private record Pending(JobId job, String uid, ClusterEvents event) {
    }

    /** What the events of one batch change, job by job, in the order they came. */
    private static final class Batch {
        final Map<JobId, ClusterStatusRecord> records = new LinkedHashMap<>();
        final Map<JobId, Boolean> urgent = new LinkedHashMap<>();
        final Set<JobId> annotationRemovals = new LinkedHashSet<>();
        final List<Pending> events = new ArrayList<>();
    }
}
