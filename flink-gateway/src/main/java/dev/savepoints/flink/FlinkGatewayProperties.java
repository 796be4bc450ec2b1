package dev.savepoints.flink;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Flink gateway ({@code savepoints.flink.*}).
 *
 * @param jobManagerUrlTemplate the JobManager REST address of a FlinkCluster; {@code {name}} and {@code {namespace}}
 *                              are replaced by the resource's (the Service the user's guide port-forwards to)
 * @param requestTimeout        the longest any one Flink REST call may take
 * @param savepointTimeout      a savepoint not finished by then is failed as timed out
 */
@ConfigurationProperties("savepoints.flink")
public record FlinkGatewayProperties(String jobManagerUrlTemplate, Duration requestTimeout, Duration savepointTimeout) {

    public static final String DEFAULT_TEMPLATE = "http://{name}-jobmanager.{namespace}.svc:8081";

    public FlinkGatewayProperties {
        jobManagerUrlTemplate = jobManagerUrlTemplate == null || jobManagerUrlTemplate.isBlank()
                ? DEFAULT_TEMPLATE : jobManagerUrlTemplate;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
        savepointTimeout = savepointTimeout == null ? Duration.ofMinutes(10) : savepointTimeout;
    }
}
