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
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Keeps each job's status model ({@link JobStatus#next}, the mapping the REST and SQL status follow too) and says
 * when the FlinkCluster is to show it; {@link DueStatusWrites} writes it then, whole, and removes the annotation of a
 * control that ended. Changes settle before they are written ({@code settle}), so the events of one step, even in
 * batches of their own, cost one write; a change that only starts something (a savepoint triggered, a control
 * accepted) waits the progress delay, so a savepoint that ends within it costs one write for its start and end. The
 * processor itself never waits on the API server. Kubernetes Events follow the commit; events older than the
 * Events' time to live (a processor catching up on history) record none.
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
    private final Duration settle;
    private final Duration progressDelay;
    private final Duration eventTtl;

    public StatusWriter(StatusModels models, ClusterStatusPatcher cluster, Duration settle, Duration progressDelay,
                        Duration eventTtl) {
        this.models = models;
        this.cluster = cluster;
        this.settle = settle;
        this.progressDelay = progressDelay;
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
            boolean soon = !STARTS.contains(event.getClass()) && at.isAfter(now.minus(FRESH));
            record.due(now.plus(soon ? settle : progressDelay));
        }
        if (endsControl(event, before)) {
            record.removeAnnotation();
            record.due(now.plus(settle));
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
            unitOfWork.afterCommit(u -> batch.events.forEach(pending -> cluster.event(pending.job(), pending.uid(),
                    pending.event().warning(), pending.event().reason(), pending.event().message())));
            return batch;
        });
    }

    private record Pending(JobId job, String uid, ClusterEvents event) {
    }

    /** The records one batch of events changes, each locked once, and the Kubernetes Events it records. */
    private static final class Batch {
        final Map<JobId, ClusterStatusRecord> records = new LinkedHashMap<>();
        final List<Pending> events = new ArrayList<>();
    }
}
