package dev.savepoints.query.web.ui;

import java.util.List;

/**
 * What the job page's timeline draws, in epoch seconds: each savepoint attempt as a mark at its trigger time,
 * its height the seconds it took (to its end, or until now while in progress), its colour its outcome; and the
 * job's restarts, upgrades, controls and spec changes as lines on the same axis.
 *
 * @param truncated more savepoints fell in the window than the timeline draws (the newest are drawn)
 */
record Timeline(long from, long to, List<Point> savepoints, List<Mark> marks, boolean truncated) {

    record Point(long t, double seconds, String outcome, String reason, String triggerId, String actor,
                 String failureCause) {
    }

    /** {@code kind}: restart, upgrade, control, settings or register. */
    record Mark(long t, String kind, String action, String actor, String decision, String outcome) {
    }
}
