package dev.savepoints.flink.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.JobState;
import dev.savepoints.command.api.ReportJobState;
import dev.savepoints.flink.FlinkGateway;
import dev.savepoints.flink.Observation;
import dev.savepoints.flink.jobs.WatchedJob;
import dev.savepoints.flink.jobs.WatchedJobRepository;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobObserverTest {

    private static final int PARALLELISM = 4;

    private final WatchedJobRepository repository = mock(WatchedJobRepository.class);
    private final FlinkGateway flink = mock(FlinkGateway.class);
    private final CommandGateway commands = mock(CommandGateway.class);
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM);

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private static WatchedJob watched(int i, String state) {
        WatchedJob job = mock(WatchedJob.class);
        when(job.jobId()).thenReturn("default/job-" + i);
        when(job.flinkJobId()).thenReturn(String.format("%032x", i + 1));
        when(job.state()).thenReturn(state);
        return job;
    }

    @Test
    void jobsAreReadAsManyAtATimeAsThereAreWorkers() throws Exception {
        List<WatchedJob> jobs = IntStream.range(0, 2 * PARALLELISM).mapToObj(i -> watched(i, "RUNNING")).toList();
        when(repository.findByFlinkJobIdIsNotNullAndStateIn(any())).thenReturn(jobs);
        // each read waits for as many others as there are workers: one at a time, the first would wait in vain
        CyclicBarrier together = new CyclicBarrier(PARALLELISM);
        when(flink.observe(any(), any())).thenAnswer(call -> {
            together.await(10, TimeUnit.SECONDS);
            return Observation.of(JobState.RUNNING);
        });

        assertThat(new JobObserver(repository, flink, commands, workers).observeAll()).isZero();
        verify(commands, never()).sendAndWait(any());
    }

    @Test
    void aChangeIsReportedAndAJobThatCannotBeReadIsSkipped() {
        List<WatchedJob> jobs = List.of(watched(0, "RUNNING"), watched(1, "RUNNING"));
        when(repository.findByFlinkJobIdIsNotNullAndStateIn(any())).thenReturn(jobs);
        when(flink.observe(eq(JobId.parse("default/job-0")), any())).thenReturn(new Observation(JobState.FAILED, "boom"));
        when(flink.observe(eq(JobId.parse("default/job-1")), any())).thenThrow(new IllegalStateException("a bug"));

        assertThat(new JobObserver(repository, flink, commands, workers).observeAll()).isEqualTo(1);
        verify(commands).sendAndWait(new ReportJobState(JobId.parse("default/job-0"), String.format("%032x", 1),
                JobState.FAILED, "boom"));
    }
}
