package dev.savepoints.flink.saga;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

class LeftoverDeadlinesTest {

    private final ScriptedDeadlineManager deadlines = new ScriptedDeadlineManager();
    private final List<Duration> retries = new ArrayList<>();
    /** Runs everything at once on the caller's thread; retries are noted and run at once too. */
    private final LeftoverDeadlines leftovers = new LeftoverDeadlines(Runnable::run, (task, delay) -> {
        retries.add(delay);
        task.run();
    }, Duration.ofSeconds(1), 3);

    @Test
    void theDeadlinesAreCancelledOnlyOnceTheSagasTransactionCommitted() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1", "savepoint-timeout", "t1"));
        assertThat(deadlines.calls).as("not before the commit").isEmpty();

        unitOfWork.commit();
        assertThat(deadlines.calls).containsExactlyInAnyOrder("cancel savepoint-poll p1", "cancel savepoint-timeout t1");
    }

    @Test
    void nothingIsCancelledWhenTheSagasTransactionRollsBack() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1"));
        unitOfWork.rollback();
        // the marker: a cancel outside any unit of work runs at once, on the same executor the first would have used
        leftovers.cancel(deadlines, Map.of("savepoint-call", "c1"));
        assertThat(deadlines.calls).containsExactly("cancel savepoint-call c1");
    }

    @Test
    void aDeadlineFiringAtThatMomentIsCancelledAgainLater() {
        deadlines.onCancel("p1", new TaskInstanceCurrentlyExecutingException("AxonDeadline", "p1"));
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1"));
        assertThat(deadlines.calls).containsExactly("cancel savepoint-poll p1", "cancel savepoint-poll p1");
        assertThat(retries).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aCancelThatKeepsFailingIsGivenUpAfterItsAttempts() {
        IllegalStateException gone = new IllegalStateException("database gone");
        deadlines.onCancel("p1", gone, gone, gone, gone);
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1", "savepoint-timeout", "t1"));
        assertThat(deadlines.calls.stream().filter("cancel savepoint-poll p1"::equals)).as("three attempts").hasSize(3);
        assertThat(deadlines.calls).containsOnlyOnce("cancel savepoint-timeout t1");
        assertThat(retries).hasSize(2);
    }
}
