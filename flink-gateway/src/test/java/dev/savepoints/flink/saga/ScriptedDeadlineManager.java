package dev.savepoints.flink.saga;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.common.Registration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ScopeDescriptor;

/**
 * A deadline manager whose cancels answer as a test scripts them, for the faults db-scheduler shows only at
 * the wrong moment (a deadline being executed cannot be cancelled, the database is away). Each cancel of a deadline
 * takes the next scripted answer for its id (none: it succeeds); cancels are recorded as {@code "cancel name id"}.
 * Only cancelling by id is supported: that is all {@link LeftoverDeadlines} does.
 */
final class ScriptedDeadlineManager implements DeadlineManager {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<RuntimeException>> cancelAnswers = new ConcurrentHashMap<>();

    /** The next cancels of deadline {@code id} fail with these, in order. */
    ScriptedDeadlineManager onCancel(String id, RuntimeException... failures) {
        cancelAnswers.computeIfAbsent(id, k -> new ArrayDeque<>()).addAll(List.of(failures));
        return this;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        calls.add("cancel " + deadlineName + " " + scheduleId);
        Deque<RuntimeException> answers = cancelAnswers.get(scheduleId);
        RuntimeException failure = answers == null ? null : answers.poll();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                           ScopeDescriptor deadlineScope) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void cancelAll(String deadlineName) {
        throw new UnsupportedOperationException("cancelling by name reads every deadline: cancel by id");
    }

    @Override
    public void cancelAllWithinScope(String deadlineName, ScopeDescriptor scope) {
        throw new UnsupportedOperationException("cancelling by name reads every deadline: cancel by id");
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super DeadlineMessage<?>> dispatchInterceptor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super DeadlineMessage<?>> handlerInterceptor) {
        throw new UnsupportedOperationException();
    }
}
