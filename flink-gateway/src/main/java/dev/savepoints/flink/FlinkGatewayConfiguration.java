package dev.savepoints.flink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlinkGatewayProperties.class)
public class FlinkGatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FlinkGatewayConfiguration.class);

    @Bean
    JobManagerAddresses jobManagerAddresses(FlinkGatewayProperties properties) {
        log.info("Flink gateway: JobManager REST API at {} unless a FlinkCluster names its own; savepoint timeout {}",
                properties.jobManagerUrlTemplate(), properties.savepointTimeout());
        return new JobManagerAddresses(properties);
    }
}
