package dev.savepoints.query.web.ui;

import dev.savepoints.query.history.SavepointView;
import java.util.Locale;

/** One savepoint attempt as the job page's history table shows it; {@code href} selects it on the job page. */
record SavepointLine(String triggerId, String href, String triggeredAt, String reason, String actor, String source,
                     String outcome, String outcomeClass, String duration, String location, String failureCause,
                     String retention, boolean pinned) {

    static SavepointLine of(SavepointView view, String jobHref) {
        return new SavepointLine(view.triggerId(),
                Links.savepointHref(jobHref, view.triggerId()),
                Format.time(view.triggeredAt()), view.triggerReason() != null ? view.triggerReason() : view.reason(),
                view.actor(), view.source(), view.outcome() + (view.late() ? " (late)" : ""),
                view.outcome() == null ? "" : view.outcome().toLowerCase(Locale.ROOT).replace('_', '-'),
                Format.millis(view.durationMs()), view.location(), view.failureCause(),
                view.retention() == null ? "" : view.retention(), view.pinned());
    }
}
