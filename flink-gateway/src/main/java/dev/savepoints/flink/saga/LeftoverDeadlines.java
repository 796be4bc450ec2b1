package dev.savepoints.flink.saga;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels the deadlines an ended saga leaves, after its transaction committed and apart from it. db-scheduler refuses
 * to cancel a deadline while it is being executed, and a saga that ends while one of its deadlines fires (a poll due
 * just as the savepoint's completion arrives) would fail its transaction on that and put its event processor into
 * retries, stalling every job of the segment. A cancel that meets a running deadline is tried again later; one that
 * is never done costs nothing but that deadline's firing, which finds no saga.
 */
public class LeftoverDeadlines {

    private static final Logger log = LoggerFactory.getLogger(LeftoverDeadlines.class);

    /** Runs a task after the given delay. */
    public interface Later {
        void run(Runnable task, Duration delay);
    }

    private final Executor executor;
    private final Later later;
    private final Duration retryAfter;
    private final int attempts;

    /**
     * @param executor   where the cancels run (outside any unit of work, so Axon's deadline manager runs them at once)
     * @param later      runs a cancel that met a running deadline again, after {@code retryAfter}, where the cancels run
     * @param attempts   how often a cancel is tried in all
     */
    public LeftoverDeadlines(Executor executor, Later later, Duration retryAfter, int attempts) {
        this.executor = executor;
        this.later = later;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    /** Cancels the deadlines (name → id) once the current unit of work committed; now if there is none. */
    public void cancel(DeadlineManager deadlines, Map<String, String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, String> copy = Map.copyOf(ids);
        Runnable cancelAll = () -> copy.forEach((name, id) -> cancel(deadlines, name, id, 1));
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(unitOfWork -> submit(cancelAll));
        } else {
            submit(cancelAll);
        }
    }

    private void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("Shutting down: leftover deadlines left to fire"); // they find no saga
        }
    }

    private void cancel(DeadlineManager deadlines, String name, String id, int attempt) {
        try {
            deadlines.cancelSchedule(name, id); // one that fired and is gone is not an error to Axon
        } catch (RuntimeException e) {
            if (attempt >= attempts) {
                log.debug("Deadline {} ({}) of an ended saga not cancelled: {}", name, id, e.getMessage());
                return;
            }
            later.run(() -> cancel(deadlines, name, id, attempt + 1), retryAfter);
        }
    }
}
