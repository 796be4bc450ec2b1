package dev.savepoints.flink;

import dev.savepoints.command.api.JobId;
import java.net.URI;

/** Which JobManager REST API a FlinkCluster uses: its own override, else the configured template. */
public final class JobManagerAddresses {

    private final String template;

    public JobManagerAddresses(FlinkGatewayProperties properties) {
        this.template = properties.jobManagerUrlTemplate();
    }

    public URI of(JobId job, String override) {
        String url = override != null && !override.isBlank()
                ? override
                : template.replace("{name}", job.name()).replace("{namespace}", job.namespace());
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("a JobManager address must be http(s), was '" + url + "'");
        }
        return uri;
    }
}
