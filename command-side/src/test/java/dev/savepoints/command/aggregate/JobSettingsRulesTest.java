package dev.savepoints.command.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobSettings;
import org.junit.jupiter.api.Test;

/** The rules against hostile locations: schemes that are no file system, '..' segments, huge addresses. */
class JobSettingsRulesTest {

    private static final JobManagerHosts HOSTS = FlinkJobFixture.HOSTS;

    private static JobSettings dir(String savepointsDir, String fromSavepoint, String jobManagerUrl) {
        return new JobSettings(savepointsDir, null, null, fromSavepoint, false, null, null, false, null, jobManagerUrl);
    }

    @Test
    void aLocationOnNoFileSystemIsRefused() {
        assertThat(JobSettingsRules.firstViolation(dir("ftp://host/savepoints", null, null), HOSTS)).contains(
                "savepointsDir cannot use scheme 'ftp': savepoints are on a file system such as file:/, s3://, gs://, hdfs://, abfss://");
        assertThat(JobSettingsRules.firstViolation(dir("/sp", "HTTPS://example.org/savepoint-1", null), HOSTS))
                .hasValueSatisfying(v -> assertThat(v).startsWith("fromSavepoint cannot use scheme 'https'"));
        for (String fine : new String[] {"gs://b/sp", "s3a://b/sp", "hdfs://nn:8020/sp", "file:///sp", "file:/sp", "/sp",
                "abfss://c@a.dfs.core.windows.net/sp", "oss://b/sp"}) {
            assertThat(JobSettingsRules.firstViolation(dir(fine, null, null), HOSTS)).as(fine).isEmpty();
        }
    }

    @Test
    void dotDotSegmentsAreRefused() {
        assertThat(JobSettingsRules.firstViolation(dir("file:///tmp/../../etc", null, null), HOSTS))
                .contains("savepointsDir must not contain '..' segments, was 'file:///tmp/../../etc'");
        assertThat(JobSettingsRules.firstViolation(dir("/sp/..", null, null), HOSTS)).isPresent();
        assertThat(JobSettingsRules.firstViolation(dir("/sp/..hidden/x", null, null), HOSTS)).isEmpty();
    }

    @Test
    void aHugeJobManagerAddressIsRefusedWithoutRepeatingIt() {
        assertThat(JobSettingsRules.firstViolation(dir("/sp", null, "http://h/" + "x".repeat(2000)), HOSTS))
                .contains("the JobManager address is longer than 1024 characters");
        assertThat(JobSettingsRules.firstViolation(dir("/sp", null, "file:///" + "x".repeat(500)), HOSTS))
                .hasValueSatisfying(v -> assertThat(v).hasSizeLessThan(250));
    }
}
