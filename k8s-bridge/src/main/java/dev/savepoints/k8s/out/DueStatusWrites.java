package dev.savepoints.k8s.out;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the status changes that are due (see {@link StatusWriter}). Every replica runs it; a change is written by
 * whichever locks it first, and never while the status writer holds the same job, so an older model cannot land
 * after a newer one.
 */
public class DueStatusWrites implements AutoCloseable {

    static final int PER_ROUND = 100;
    private static final Logger log = LoggerFactory.getLogger(DueStatusWrites.class);

    private final StatusModels models;
    private final TransactionTemplate transactions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            new CustomizableThreadFactory("k8s-status-due-"));

    public DueStatusWrites(StatusModels models, TransactionTemplate transactions) {
        this.models = models;
        this.transactions = transactions;
    }

    /** Looks for due changes every {@code interval}. */
    public void start(Duration interval) {
        timer.scheduleWithFixedDelay(this::writeDue, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: every change due now, a hundred per transaction; returns how many were written. */
    public int writeDue() {
        int written = 0;
        try {
            Integer round;
            do {
                round = transactions.execute(tx -> models.showDue(Instant.now(), PER_ROUND));
                written += round == null ? 0 : round;
            } while (round != null && round == PER_ROUND);
        } catch (RuntimeException e) {
            log.warn("Status changes not written yet: {}; trying again", e.getMessage());
        }
        return written;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
