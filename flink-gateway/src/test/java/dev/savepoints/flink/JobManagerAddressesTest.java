package dev.savepoints.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.savepoints.command.api.JobId;
import org.junit.jupiter.api.Test;

class JobManagerAddressesTest {

    private final JobManagerAddresses defaults = new JobManagerAddresses(FlinkGatewayProperties.defaults());

    @Test
    void byDefaultTheJobManagerServiceOfTheClusterIsUsedAsTheGuidesPortForwardImplies() {
        assertThat(defaults.of(JobId.of("default", "flinkjobcluster-sample"), null))
                .hasToString("http://flinkjobcluster-sample-jobmanager.default.svc:8081");
    }

    @Test
    void aClusterCanNameItsOwnJobManager() {
        assertThat(defaults.of(JobId.of("default", "x"), "http://localhost:8081/")).hasToString("http://localhost:8081");
    }

    @Test
    void onlyHttpAddressesAreAccepted() {
        assertThatThrownBy(() -> defaults.of(JobId.of("default", "x"), "ftp://jm:21"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be http(s)");
    }
}
