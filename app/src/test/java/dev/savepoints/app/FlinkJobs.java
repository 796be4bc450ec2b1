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
final class FlinkJobs {

    static final String COUNTING_JOB = "dev.savepoints.flink.testjob.CountingJob";

    private FlinkJobs() {
    }

    static JobArtifact countingJob(Path out, Path failMarker, long delayMillis) {
        List<String> args = new ArrayList<>(List.of("--out", out.toString(), "--delay-ms", Long.toString(delayMillis)));
        if (failMarker != null) {
            args.addAll(List.of("--fail-marker", failMarker.toString()));
        }
        return new JobArtifact(FlinkTestCluster.countingJobJar().toString(), COUNTING_JOB, args, 1);
    }

    static JobSettings settings(Path savepointsDir, RestartPolicy policy, JobArtifact artifact) {
        return new JobSettings(savepointsDir.toUri().toString(), null, policy, null, false, SavepointFormatType.CANONICAL,
                null, false, artifact);
    }
}
