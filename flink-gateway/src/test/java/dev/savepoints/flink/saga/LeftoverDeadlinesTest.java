package dev.savepoints.flink.saga;

import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Test;

class LeftoverDeadlinesTest {

    private final DeadlineManager deadlines = mock(DeadlineManager.class);
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
        verifyNoInteractions(deadlines);

        unitOfWork.commit();
        verify(deadlines).cancelSchedule("savepoint-poll", "p1");
        verify(deadlines).cancelSchedule("savepoint-timeout", "t1");
    }

    @Test
    void nothingIsCancelledWhenTheSagasTransactionRollsBack() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1"));
        unitOfWork.rollback();
        verifyNoInteractions(deadlines);
    }

    @Test
    void aDeadlineFiringAtThatMomentIsCancelledAgainLater() {
        doThrow(new TaskInstanceCurrentlyExecutingException("AxonDeadline", "p1"))
                .doNothing().when(deadlines).cancelSchedule("savepoint-poll", "p1");
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1"));
        verify(deadlines, times(2)).cancelSchedule("savepoint-poll", "p1");
        org.assertj.core.api.Assertions.assertThat(retries).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aCancelThatKeepsFailingIsGivenUpAfterItsAttempts() {
        doThrow(new IllegalStateException("database gone")).when(deadlines).cancelSchedule("savepoint-poll", "p1");
        doNothing().when(deadlines).cancelSchedule("savepoint-timeout", "t1");
        leftovers.cancel(deadlines, Map.of("savepoint-poll", "p1", "savepoint-timeout", "t1"));
        verify(deadlines, times(3)).cancelSchedule("savepoint-poll", "p1");
        verify(deadlines).cancelSchedule("savepoint-timeout", "t1");
    }
}
