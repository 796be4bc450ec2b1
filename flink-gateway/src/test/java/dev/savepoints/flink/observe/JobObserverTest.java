package dev.savepoints.flink.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.ReportJobManagerReachable;
import dev.savepoints.command.api.ReportJobManagerUnreachable;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.Observation;
import dev.savepoints.flink.jobs.InMemoryWatchedJobs;
import dev.savepoints.flink.rest.FlinkCallFailed;
import dev.savepoints.flink.rest.SavepointStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.utils.RecordingCommandBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobObserverTest {

    private static final int PARALLELISM = 4;
    private static final int ROUNDS_TO_UNREACHABLE = 3;
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final JobId JOB = JobId.parse("default/job-0");
    private static final String FLINK_JOB = flinkJob(0);

    private final InMemoryWatchedJobs jobs = new InMemoryWatchedJobs();
    /** What Flink answers per job; a job without an answer cannot be reached. */
    private final Map<JobId, Function<JobId, Observation>> answers = new ConcurrentHashMap<>();
    private final RecordingCommandBus commandBus = new RecordingCommandBus();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM);
    private final JobObserver observer = new JobObserver(jobs, new AnsweringFlink(), DefaultCommandGateway.builder()
            .commandBus(commandBus).build(), workers, ROUNDS_TO_UNREACHABLE, Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private static String flinkJob(int i) {
        return String.format("%032x", i + 1);
    }

    private List<Object> commands() {
        return commandBus.getDispatchedCommands().stream().map(CommandMessage::getPayload).map(Object.class::cast).toList();
    }

    @Test
    void jobsAreReadAsManyAtATimeAsThereAreWorkers() {
        AtomicInteger completed = new AtomicInteger();
        // each read waits for as many others as there are workers: one at a time, the first would wait in vain
        CyclicBarrier together = new CyclicBarrier(PARALLELISM);
        for (int i = 0; i < 2 * PARALLELISM; i++) {
            JobId job = JobId.parse("default/job-" + i);
            jobs.add(job.toString(), flinkJob(i), JobState.RUNNING);
            answers.put(job, any -> {
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the reads did not run together", e);
                }
                completed.incrementAndGet();
                return Observation.of(JobState.RUNNING);
            });
        }

        assertThat(observer.observeAll()).isZero();
        assertThat(completed).hasValue(2 * PARALLELISM);
        assertThat(commands()).isEmpty();
    }

    @Test
    void aChangeIsReportedAndAJobThatCannotBeReadIsSkipped() {
        jobs.add("default/job-0", flinkJob(0), JobState.RUNNING).add("default/job-1", flinkJob(1), JobState.RUNNING);
        answers.put(JOB, any -> new Observation(JobState.FAILED, "boom"));
        answers.put(JobId.parse("default/job-1"), any -> {
            throw new IllegalStateException("a bug");
        });

        assertThat(observer.observeAll()).isEqualTo(1);
        assertThat(commands()).containsExactly(new ReportJobState(JOB, FLINK_JOB, JobState.FAILED, "boom"));
    }

    @Test
    void aJobManagerThatDoesNotAnswerForEnoughRoundsIsReportedOnce() {
        jobs.add(JOB.toString(), FLINK_JOB, JobState.RUNNING);
        for (int round = 1; round < ROUNDS_TO_UNREACHABLE; round++) {
            assertThat(observer.observeAll()).isZero();
        }
        assertThat(commands()).isEmpty();

        assertThat(observer.observeAll()).isEqualTo(1);
        assertThat(observer.observeAll()).isZero();

        assertThat(commands()).containsExactly(new ReportJobManagerUnreachable(JOB, FLINK_JOB, NOW,
                ROUNDS_TO_UNREACHABLE, "connection refused"));
    }

    @Test
    void itsReturnIsReportedAndTheCountStartsAgain() {
        jobs.add(JOB.toString(), FLINK_JOB, JobState.RUNNING);
        for (int round = 0; round < ROUNDS_TO_UNREACHABLE; round++) {
            observer.observeAll();
        }
        answers.put(JOB, any -> Observation.of(JobState.RUNNING));

        assertThat(observer.observeAll()).isEqualTo(1);
        assertThat(commands()).endsWith(new ReportJobManagerReachable(JOB, FLINK_JOB),
                new ReportJobState(JOB, FLINK_JOB, JobState.RUNNING, null));
        assertThat(jobs.get(JOB.toString()).failedRounds()).isZero();
        assertThat(jobs.get(JOB.toString()).unreachableReported()).isFalse();
    }

    @Test
    void aShortOutageIsForgottenWithoutAReport() {
        jobs.add(JOB.toString(), FLINK_JOB, JobState.RUNNING);
        observer.observeAll();
        answers.put(JOB, any -> Observation.of(JobState.RUNNING));
        observer.observeAll();
        answers.remove(JOB);
        for (int round = 1; round < ROUNDS_TO_UNREACHABLE; round++) {
            observer.observeAll();
        }

        assertThat(commands()).isEmpty();
        assertThat(jobs.get(JOB.toString()).failedRounds()).isEqualTo(ROUNDS_TO_UNREACHABLE - 1);
    }

    @Test
    void aJobManagerThatAnswersWithARefusalIsReachable() {
        jobs.add(JOB.toString(), FLINK_JOB, JobState.RUNNING);
        answers.put(JOB, any -> {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.SERVER_ERROR, 500, "GET /jobs/x answered 500", null);
        });
        for (int round = 0; round < ROUNDS_TO_UNREACHABLE; round++) {
            observer.observeAll();
        }

        assertThat(commands()).isEmpty();
        assertThat(jobs.get(JOB.toString()).failedRounds()).isZero();
    }

    @Test
    void aReportThatWasNotTakenIsSentAgainNextRound() {
        jobs.add(JOB.toString(), FLINK_JOB, JobState.RUNNING);
        AtomicInteger refusals = new AtomicInteger(1);
        commandBus.setCallbackBehavior((payload, metaData) -> {
            if (refusals.getAndDecrement() > 0) {
                throw new IllegalStateException("the database is down");
            }
            return null;
        });
        for (int round = 0; round < ROUNDS_TO_UNREACHABLE; round++) {
            observer.observeAll();
        }
        assertThat(jobs.get(JOB.toString()).unreachableReported()).isFalse();

        assertThat(observer.observeAll()).isEqualTo(1);
        assertThat(commands()).hasSize(2).allMatch(ReportJobManagerUnreachable.class::isInstance);
        assertThat(jobs.get(JOB.toString()).unreachableReported()).isTrue();
    }

    /** Answers observations as the test says; every other call is not the observer's. */
    private final class AnsweringFlink implements FlinkGateway {

        @Override
        public Observation observe(JobId job, String flinkJobId) {
            Function<JobId, Observation> answer = answers.get(job);
            if (answer == null) {
                throw new FlinkCallFailed(FlinkCallFailed.Kind.UNREACHABLE, 0, "connection refused", null);
            }
            return answer.apply(job);
        }

        @Override
        public void triggerSavepoint(JobId job, String flinkJobId, String targetDirectory, SavepointFormatType format,
                                     String triggerId, boolean stopJob) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SavepointStatus savepointStatus(JobId job, String flinkJobId, String triggerId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String submit(JobId job, JobArtifact artifact, String flinkJobId, String savepointPath,
                             boolean allowNonRestoredState) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(JobId job, String flinkJobId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String disposeSavepoint(JobId job, String jobManagerUrl, String location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.savepoints.flink.rest.DisposalStatus disposalStatus(JobId job, String jobManagerUrl, String requestId) {
            throw new UnsupportedOperationException();
        }
    }
}
