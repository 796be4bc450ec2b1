package dev.savepoints.command.config;

import dev.savepoints.command.aggregate.JobPolicy;
import dev.savepoints.command.aggregate.TriggerIds;
import dev.savepoints.command.api.Refusals;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CommandSideProperties.class)
// Axon's JPA auto-configuration, which steps back for the event store below, would have registered its entities.
@AutoConfigurationPackage(basePackages = "org.axonframework.eventsourcing.eventstore.jpa")
public class CommandSideConfiguration {

    /** Named in {@code @Aggregate} of FlinkJob. */
    public static final String SNAPSHOT_TRIGGER = "flinkJobSnapshotTrigger";

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition flinkJobSnapshotTrigger(Snapshotter snapshotter, CommandSideProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }

    /**
     * Axon's event store with a shorter fetch delay than its default of a second. Its reader is woken when this
     * service publishes events, but that happens before their transaction commits, so it often finds nothing yet
     * and only looks again after the delay: the sagas would call Flink up to a second after a decision. Declaring
     * the event store turns Axon's JPA auto-configuration off, so the storage engine is declared below as Axon
     * would.
     */
    @Bean
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration configuration,
                                  CommandSideProperties properties) {
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(properties.eventFetchDelay().toMillis())
                .build();
    }

    @Bean
    EventStorageEngine eventStorageEngine(Serializer defaultSerializer, PersistenceExceptionResolver persistenceExceptionResolver,
                                          @Qualifier("eventSerializer") Serializer eventSerializer,
                                          org.axonframework.config.Configuration configuration,
                                          EntityManagerProvider entityManagerProvider, TransactionManager transactionManager) {
        return JpaEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .entityManagerProvider(entityManagerProvider)
                .transactionManager(transactionManager)
                .build();
    }

    /**
     * Axon's gateway, retrying a command that lost a race: two replicas (a saga on one, the bridge on the other)
     * may append to the same job at once, and the event store then refuses the later append with a
     * {@code ConcurrencyException}. Nothing of the losing command was stored, so it is sent again and decides on
     * the job as it now is. Only transient failures are retried; a rule the command broke is not.
     */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus, CommandSideProperties properties) {
        DefaultCommandGateway.Builder gateway = DefaultCommandGateway.builder().commandBus(commandBus);
        if (properties.commandRetries() > 0) {
            ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "command-retry");
                thread.setDaemon(true);
                return thread;
            });
            gateway.retryScheduler(ExponentialBackOffIntervalRetryScheduler.builder()
                    .retryExecutor(retries)
                    .backoffFactor(properties.commandRetryBackoff().toMillis())
                    .maxRetryCount(properties.commandRetries())
                    // a refusal is final; retried, it would also wait on the aggregate lock that a saga's nested
                    // unit of work keeps until the saga's own ends
                    .addNonTransientFailurePredicate(Refusals::isRefusal)
                    .build());
        }
        return gateway.build();
    }

    /** What the aggregate's handlers decide by, resolved as a handler parameter like {@code JobManagerHosts}. */
    @Bean
    JobPolicy jobPolicy(CommandSideProperties properties) {
        return properties.jobPolicy();
    }

    @Bean
    TriggerIds triggerIds() {
        return TriggerIds.random();
    }
}
