package dev.savepoints.flink.saga;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.Observation;
import dev.savepoints.flink.rest.DisposalStatus;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.SavepointStatus;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Flink that answers as a test scripts it, for the faults a real Flink does not show on demand (503 during
 * leader election, unreachable, a forgotten trigger). Each call takes the next scripted answer; calls are
 * recorded. The happy paths are tested against a real Flink instead.
 */
final class ScriptedFlinkGateway implements FlinkGateway {

    /** Written by the watcher's threads too. */
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final Deque<Object> triggerAnswers = new ArrayDeque<>();
    private final Deque<Object> statusAnswers = new ArrayDeque<>();
    private final Deque<Object> submitAnswers = new ArrayDeque<>();
    private final Deque<Object> cancelAnswers = new ArrayDeque<>();
    private final Deque<Object> disposeAnswers = new ArrayDeque<>();
    private final Deque<Object> disposalStatusAnswers = new ArrayDeque<>();

    ScriptedFlinkGateway onDispose(Object... answers) {
        disposeAnswers.addAll(List.of(answers));
        return this;
    }

    ScriptedFlinkGateway onDisposalStatus(Object... answers) {
        disposalStatusAnswers.addAll(List.of(answers));
        return this;
    }

    ScriptedFlinkGateway onTrigger(Object... answers) {
        triggerAnswers.addAll(List.of(answers));
        return this;
    }

    ScriptedFlinkGateway onStatus(Object... answers) {
        statusAnswers.addAll(List.of(answers));
        return this;
    }

    ScriptedFlinkGateway onCancel(Object... answers) {
        cancelAnswers.addAll(List.of(answers));
        return this;
    }

    ScriptedFlinkGateway onSubmit(Object... answers) {
        submitAnswers.addAll(List.of(answers));
        return this;
    }

    static FlinkCallFailed unavailable() {
        return new FlinkCallFailed(FlinkCallFailed.Kind.UNAVAILABLE, 503,
                "POST /jobs/x/savepoints answered 503: Service temporarily unavailable due to an ongoing leader election", null);
    }

    static FlinkCallFailed notFound() {
        return new FlinkCallFailed(FlinkCallFailed.Kind.NOT_FOUND, 404, "GET /jobs/x/savepoints/t answered 404: not found", null);
    }

    static FlinkCallFailed rejected(String message) {
        return new FlinkCallFailed(FlinkCallFailed.Kind.REJECTED, 400, message, null);
    }

    @Override
    public void triggerSavepoint(JobId job, String flinkJobId, String targetDirectory, SavepointFormatType format,
                                 String triggerId, boolean stopJob) {
        calls.add((stopJob ? "stop " : "trigger ") + triggerId);
        answer(triggerAnswers, null);
    }

    @Override
    public SavepointStatus savepointStatus(JobId job, String flinkJobId, String triggerId) {
        calls.add("status " + triggerId);
        return answer(statusAnswers, SavepointStatus.inProgress());
    }

    @Override
    public Observation observe(JobId job, String flinkJobId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath,
                         boolean allowNonRestoredState) {
        calls.add("submit " + flinkJobId + (savepointPath == null ? "" : " from " + savepointPath));
        String answer = answer(submitAnswers, null);
        return answer == null ? flinkJobId : answer;
    }

    @Override
    public void cancel(JobId job, String flinkJobId) {
        calls.add("cancel " + flinkJobId);
        answer(cancelAnswers, null);
    }

    @Override
    public String disposeSavepoint(JobId job, String jobManagerUrl, String location) {
        calls.add("dispose " + location);
        return answer(disposeAnswers, "disposal-" + calls.size());
    }

    @Override
    public DisposalStatus disposalStatus(JobId job, String jobManagerUrl, String requestId) {
        calls.add("disposal status " + requestId);
        return answer(disposalStatusAnswers, DisposalStatus.inProgress());
    }

    static FlinkCallFailed unreachable() {
        return new FlinkCallFailed(FlinkCallFailed.Kind.UNREACHABLE, 0, "POST /savepoint-disposal: connection refused", null);
    }

    @SuppressWarnings("unchecked")
    private static <T> T answer(Deque<Object> answers, T whenEmpty) {
        Object next = answers.isEmpty() ? whenEmpty : answers.poll();
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return (T) next;
    }
}
