package dev.savepoints.app;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RestartPolicy;
import dev.savepoints.command.api.SavepointFormatType;
import dev.savepoints.flink.test.FlinkTestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Settings of FlinkClusters that run the counting job of the tests on a real Flink. */
public final class FlinkJobs {

    public static final String COUNTING_JOB = "dev.savepoints.flink.testjob.CountingJob";

    private FlinkJobs() {
    }

    public static JobArtifact countingJob(Path out, Path failMarker, long delayMillis) {
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--delay-ms", Long.toString(delayMillis)));
        if (failMarker != null) {
            args.addAll(List.of("--fail-marker", failMarker.toString()));
        }
        return new JobArtifact(FlinkTestCluster.countingJobJar().toString(), COUNTING_JOB, args, 1);
    }

    /**
     * The service's settings for end-to-end tests on {@code flink}: its JobManager for every job, and quick
     * observation and polling so the tests need not wait for production intervals.
     */
    public static String[] serviceOn(FlinkTestCluster flink, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "savepoints.flink.job-manager-url-template=" + flink.restAddress(),
                "savepoints.flink.observe-interval=300ms",
                "savepoints.flink.poll-initial=100ms",
                "savepoints.flink.poll-max=500ms",
                "savepoints.command.restart-backoff-initial=3s"));
        properties.addAll(List.of(more));
        return properties.toArray(String[]::new);
    }

    public static JobSettings settings(Path savepointsDir, RestartPolicy policy, JobArtifact artifact) {
        return new JobSettings(savepointsDir.toUri().toString(), null, policy, null, false, SavepointFormatType.CANONICAL,
                null, false, artifact);
    }
}
