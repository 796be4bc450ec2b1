package dev.savepoints.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.savepoints.command.api.ClusterSubmitter;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.flink.jobs.WatchedJob;
import dev.savepoints.flink.metrics.SavepointCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.savepoints.flink.jobs.WatchedJobProjection;
import dev.savepoints.flink.jobs.WatchedJobRepository;
import dev.savepoints.flink.observe.JobObserver;
import dev.savepoints.flink.saga.LeftoverDeadlines;
import dev.savepoints.flink.saga.SavepointWatcher;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.net.http.HttpClient;
import java.time.Clock;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FlinkGatewayProperties.class)
public class FlinkGatewayConfiguration {

    static final String OBSERVER_TASK = "flink-job-observer";
    private static final Logger log = LoggerFactory.getLogger(FlinkGatewayConfiguration.class);

    @Bean
    JobManagerAddresses jobManagerAddresses(FlinkGatewayProperties properties) {
        log.info("Flink gateway: JobManager REST API at {} unless a FlinkCluster names its own; savepoint timeout {}",
                properties.jobManagerUrlTemplate(), properties.savepointTimeout());
        return new JobManagerAddresses(properties);
    }

    /**
     * The hosts a FlinkCluster may name as its JobManager; the FlinkJob aggregate takes it as a handler parameter and
     * refuses settings that name another ({@code SpecRejected}).
     */
    @Bean
    JobManagerHosts jobManagerHosts(FlinkGatewayProperties properties) {
        JobManagerHosts hosts = properties.jobManagerHostPolicy();
        log.info("Flink gateway: a FlinkCluster may name a JobManager on {}", hosts.describe());
        return hosts;
    }

    @Bean
    FlinkGateway flinkGateway(JobManagerAddresses addresses, WatchedJobRepository jobs, FlinkGatewayProperties properties,
                              ObjectMapper json, ObjectProvider<ClusterSubmitter> inCluster) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(properties.requestTimeout()).build();
        JarStore jars = new JarStore(http, properties.jarCacheDirectory(), properties.requestTimeout().multipliedBy(6));
        return new RestFlinkGateway(
                job -> addresses.of(job, jobs.findById(job.toString()).map(WatchedJob::jobManagerUrl).orElse(null)),
                addresses::of, jars, http, json, properties.requestTimeout(), inCluster.getIfAvailable(() -> ClusterSubmitter.NONE));
    }

    @Bean
    SavepointCallMetrics savepointCallMetrics(MeterRegistry registry) {
        return new SavepointCallMetrics(registry, Clock.systemUTC());
    }

    /** Its two threads wait on Flink's answers; closing the watcher stops them. */
    @Bean
    SavepointWatcher savepointWatcher(FlinkGateway flink, CommandGateway commands, FlinkGatewayProperties properties) {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, daemons("savepoint-watcher-"));
        return new SavepointWatcher(flink, commands, executor, Clock.systemUTC(), properties.watchInitial(),
                properties.watchWindow(), properties.watchCapacity());
    }

    /** One thread: a cancel is one indexed delete. */
    @Bean
    LeftoverDeadlines leftoverDeadlines() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(daemons("saga-deadline-cleanup-"));
        return new LeftoverDeadlines(executor, (task, delay) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                Duration.ofSeconds(1), 5);
    }

    @Bean
    JobObserver jobObserver(WatchedJobRepository jobs, FlinkGateway flink, CommandGateway commands,
                            FlinkGatewayProperties properties) {
        return new JobObserver(jobs, flink, commands,
                Executors.newFixedThreadPool(properties.observeParallelism(), daemons("flink-observer-")),
                properties.unreachableAfterRounds(), Clock.systemUTC());
    }

    /** The gateway's own threads never keep the JVM from stopping; what they do is redone after a restart. */
    private static ThreadFactory daemons(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
    }

    /** A db-scheduler task: with several replicas one of them observes at a time. */
    @Bean
    RecurringTask<Void> flinkJobObserverTask(JobObserver observer, FlinkGatewayProperties properties,
                                             MeterRegistry registry) {
        // a round longer than the interval means that a failed job is seen later than configured
        Timer rounds = Timer.builder("flink_observer_round").description("one read of every managed Flink job")
                .register(registry);
        return Tasks.recurring(OBSERVER_TASK, FixedDelay.of(properties.observeInterval()))
                .execute((instance, context) -> rounds.record(observer::observeAll));
    }

    /**
     * The gateway's job table is written in the transaction of the command whose events it follows, so the sagas
     * that react to those events later always find it current; a failure there fails the command.
     */
    @Autowired
    void configureProcessing(EventProcessingConfigurer processing) {
        processing.registerSubscribingEventProcessor(WatchedJobProjection.PROCESSING_GROUP);
        processing.registerListenerInvocationErrorHandler(WatchedJobProjection.PROCESSING_GROUP,
                configuration -> PropagatingErrorHandler.instance());
    }
}
