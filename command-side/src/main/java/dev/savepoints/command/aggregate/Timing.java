package dev.savepoints.command.aggregate;

import java.time.Instant;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.GenericEventMessage;

/** The aggregate's clock, and which of its deadlines still count. */
final class Timing {

    private Timing() {
    }

    /** The time of the message being handled; Axon's test fixtures set this clock to their simulated time. */
    static Instant now() {
        return GenericEventMessage.clock.instant();
    }

    /**
     * When a deadline handler runs: its due time, or later if it fired late. (Axon's fixtures do not set the
     * message clock for deadlines, so the due time keeps tests on their simulated time.)
     */
    static Instant firedAt(Instant due) {
        Instant clock = now();
        return due.isAfter(clock) ? due : clock;
    }

    /**
     * Whether a deadline is the latest of its kind: it carries the number of its schedule, {@code schedules} is
     * how many there were. One without a number, scheduled by a version of the service that cancelled superseded
     * deadlines instead, counts as {@code unnumbered} says.
     */
    static boolean isLatest(DeadlineMessage<?> deadline, long schedules, boolean unnumbered) {
        return deadline.getPayload() instanceof Number number ? number.longValue() == schedules : unnumbered;
    }
}
