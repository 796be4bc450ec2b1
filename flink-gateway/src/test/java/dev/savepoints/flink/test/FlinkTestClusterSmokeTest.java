package dev.savepoints.flink.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class FlinkTestClusterSmokeTest {

    @Test
    void theRestApiAnswersWithTheClustersOverview() throws Exception {
        try (FlinkTestCluster flink = FlinkTestCluster.start()) {
            HttpResponse<String> overview = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(flink.restAddress() + "/overview")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode()).isEqualTo(200);
            assertThat(overview.body()).contains("\"slots-total\":4").contains("flink-version");
            assertThat(FlinkTestCluster.countingJobJar()).exists();
        }
    }
}
