package dev.savepoints.app.logging;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.EventProcessingConfigurer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;

/** Every command and event handler logs with the ids of its message (see {@link MessageLogContext}). */
@Configuration(proxyBeanMethods = false)
public class LoggingConfiguration {

    private final MessageLogContext logContext = new MessageLogContext();

    @Autowired
    void registerOnCommands(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(logContext);
    }

    @Autowired
    void registerOnEvents(EventProcessingConfigurer processing) {
        processing.registerDefaultHandlerInterceptor((configuration, processor) -> logContext);
    }
}
