package dev.savepoints.query.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One control action: who asked what, from where, what was decided and what came of it. */
@Entity
@Table(name = "qs_audit")
public class AuditRow {

    @Id
    @Column(name = "event_id")
    String eventId;
    @Column(name = "global_index")
    long globalIndex;
    Instant at;
    @Column(name = "job_id")
    String jobId;
    String namespace;
    String name;
    String action;
    String source;
    String actor;
    String decision;
    String reason;
    String outcome;
    @Column(name = "outcome_detail")
    String outcomeDetail;
    @Column(name = "outcome_at")
    Instant outcomeAt;
    @Column(name = "trigger_id")
    String triggerId;
    @Column(name = "control_id")
    String controlId;

    protected AuditRow() {
    }

    public AuditView view() {
        return new AuditView(globalIndex, at, namespace, name, action, source, actor, decision, reason, outcome,
                outcomeDetail, outcomeAt, triggerId, controlId, eventId);
    }
}
