package dev.savepoints.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job submitter's script, run by bash as its pod runs it, against a stand-in for Flink's {@code bin/flink} (the
 * CLI itself needs a JobManager): what it passes on, its exit code, and the termination message it leaves.
 */
class SubmitScriptTest {

    @TempDir
    Path dir;

    private record Ran(int exitCode, String log, String terminationMessage, String flinkArgs) {
    }

    /** Runs the script with a {@code bin/flink} that prints {@code output} and exits with {@code code}. */
    private Ran run(String output, int code, String... args) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("flink/bin"));
        Path flink = bin.resolve("flink");
        Files.writeString(flink, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"" + dir.resolve("args") + "\"\n"
                + "printf '%s\\n' '" + output.replace("'", "'\\''") + "'\nexit " + code + "\n");
        Files.setPosixFilePermissions(flink, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = Files.writeString(dir.resolve(FlinkConfiguration.SUBMIT_SCRIPT), FlinkConfiguration.SUBMIT_SCRIPT_TEXT);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_HOME", dir.resolve("flink").toString());
        builder.environment().put("TERMINATION_LOG", dir.resolve("termination-log").toString());
        builder.environment().put("SUBMIT_OUT", dir.resolve("submit.out").toString());
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path message = dir.resolve("termination-log");
        return new Ran(process.exitValue(), log, Files.exists(message) ? Files.readString(message) : null,
                Files.readString(dir.resolve("args")));
    }

    @Test
    void aJobFlinkTookLeavesItsIdAndItsArgumentsArePassedOnAsTheyAre() throws Exception {
        String id = "2b34bf9ede59391b989610bcfdb86093";
        Ran ran = run("Job has been submitted with JobID " + id, 0, "run", "--detached",
                "-D$internal.pipeline.job-id=" + id, "/opt/flink/usrlib/job.jar", "--name", "a b", "$(HOME)");
        assertThat(ran.exitCode()).isZero();
        assertThat(ran.terminationMessage().trim()).isEqualTo("JobID " + id);
        assertThat(ran.log()).contains("Job has been submitted with JobID " + id);
        assertThat(ran.flinkArgs()).isEqualTo("run\n--detached\n-D$internal.pipeline.job-id=" + id
                + "\n/opt/flink/usrlib/job.jar\n--name\na b\n$(HOME)\n");
    }

    @Test
    void aRefusedJobLeavesFlinksWordsAndItsExitCode() throws Exception {
        Ran ran = run("org.apache.flink.client.program.ProgramInvocationException: JAR file does not exist", 1, "run", "x.jar");
        assertThat(ran.exitCode()).isEqualTo(1);
        assertThat(ran.terminationMessage()).contains("JAR file does not exist");
    }

    @Test
    void aSuccessThatNamesNoJobLeavesAnEmptyMessage() throws Exception {
        Ran ran = run("nothing to see", 0, "run", "x.jar");
        assertThat(ran.exitCode()).isZero();
        assertThat(ran.terminationMessage()).isBlank(); // JobSubmitters takes that as no submission
    }

    @Test
    void kubernetesGetsEveryDollarEscaped() {
        assertThat(JobSubmitters.escaped("-D$internal.pipeline.job-id=1")).isEqualTo("-D$$internal.pipeline.job-id=1");
        assertThat(JobSubmitters.escaped("$(HOME)")).isEqualTo("$$(HOME)");
    }
}
