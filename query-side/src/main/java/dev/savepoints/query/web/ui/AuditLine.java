package dev.savepoints.query.web.ui;

import dev.savepoints.query.audit.AuditView;

/**
 * One control action as the pages show it; {@code savepointHref} leads to the savepoint it asked for, if any, and
 * {@code jobHref} to its job.
 */
record AuditLine(long sequence, String at, String namespace, String name, String jobHref, String action, String source,
                 String actor, String decision, String reason, String outcome, String outcomeDetail,
                 String triggerId, String savepointHref) {

    static AuditLine of(AuditView view, String jobHref) {
        String savepointHref = view.triggerId() == null ? null
                : Links.savepointHref(jobHref, view.triggerId());
        return new AuditLine(view.sequence(), Format.time(view.at()), view.namespace(), view.name(), jobHref,
                view.action(), view.source(), view.actor(), view.decision(), view.reason(),
                view.outcome(),
                view.outcomeDetail(), view.triggerId(), savepointHref);
    }
}
