package dev.savepoints.query;

import dev.savepoints.query.metrics.SavepointMetrics;
import org.axonframework.config.EventProcessingConfigurer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class QuerySideConfiguration {

    /** Metrics count the events of this replica's own commands, as they happen (see {@link SavepointMetrics}). */
    @Autowired
    void configureProcessing(EventProcessingConfigurer processing) {
        processing.registerSubscribingEventProcessor(SavepointMetrics.PROCESSING_GROUP);
    }
}
