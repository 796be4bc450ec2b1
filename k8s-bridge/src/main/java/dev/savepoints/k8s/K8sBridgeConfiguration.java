package dev.savepoints.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.savepoints.k8s.cluster.ClusterProvisioner;
import dev.savepoints.k8s.cluster.JobSubmitters;
import dev.savepoints.k8s.in.BridgeLeadership;
import dev.savepoints.k8s.in.FlinkClusterWatcher;
import dev.savepoints.k8s.out.ClusterStatusPatcher;
import dev.savepoints.k8s.out.ClusterStatusRecords;
import dev.savepoints.k8s.out.DueStatusWrites;
import dev.savepoints.k8s.out.StatusModels;
import dev.savepoints.k8s.out.StatusWriter;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Decides at start-up whether the bridge runs, says so in the log, and wires it when it does. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(K8sBridgeProperties.class)
public class K8sBridgeConfiguration {

    public static final String USER_AGENT = "savepoint-orchestrator";
    private static final Logger log = LoggerFactory.getLogger(K8sBridgeConfiguration.class);

    static BridgeActivation activation(K8sBridgeProperties properties) {
        Optional<String> cluster = ClusterDetection.findCluster(System.getenv(),
                Path.of(System.getProperty("user.home")), properties.masterUrl());
        if (Boolean.TRUE.equals(properties.enabled()) && cluster.isEmpty()) {
            throw new IllegalStateException("savepoints.k8s.enabled=true but no Kubernetes cluster was found "
                    + "(no in-cluster service account, no KUBECONFIG, no ~/.kube/config, no savepoints.k8s.master-url)");
        }
        return BridgeActivation.decide(properties, cluster);
    }

    @Bean
    BridgeActivation bridgeActivation(K8sBridgeProperties properties) {
        BridgeActivation activation = activation(properties);
        log.info(activation.describe());
        return activation;
    }

    /** True when the bridge runs: the same decision as {@link #bridgeActivation}, taken before beans exist. */
    static class BridgeActive implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            K8sBridgeProperties properties = Binder.get(context.getEnvironment())
                    .bind("savepoints.k8s", K8sBridgeProperties.class)
                    .orElseGet(() -> new K8sBridgeProperties(null, null, null, null, null, null, null, null, null, null, null));
            return activation(properties).active();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(BridgeActive.class)
    static class ActiveBridge {

        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient(K8sBridgeProperties properties) {
            Config config = properties.masterUrl() == null ? Config.autoConfigure(null)
                    : new ConfigBuilder(Config.empty()).withMasterUrl(properties.masterUrl()).withTrustCerts(true).build();
            config.setUserAgent(USER_AGENT); // tells the service's calls apart in API server audit logs
            return new KubernetesClientBuilder().withConfig(config).build();
        }

        /** Every write to the API server: the status writer's and the bridge's refusals of unreadable specs. */
        @Bean
        ClusterStatusPatcher clusterStatusPatcher(KubernetesClient client, MeterRegistry metrics) {
            return new ClusterStatusPatcher(client, metrics);
        }

        @Bean
        StatusModels statusModels(ClusterStatusRecords records, ClusterStatusPatcher patcher, ObjectMapper json) {
            return new StatusModels(records, patcher, json);
        }

        @Bean(destroyMethod = "close")
        DueStatusWrites dueStatusWrites(StatusModels models, PlatformTransactionManager transactions,
                                        K8sBridgeProperties properties) {
            DueStatusWrites due = new DueStatusWrites(models, new TransactionTemplate(transactions));
            due.start(properties.statusSettle().dividedBy(2));
            return due;
        }

        @Bean(destroyMethod = "close")
        FlinkClusterWatcher flinkClusterWatcher(KubernetesClient client, CommandGateway commands,
                                                ClusterStatusPatcher patcher, K8sBridgeProperties properties,
                                                MeterRegistry metrics) {
            // one thread: a retry is a few commands; a retry dropped leaves the queue at once
            var retries = new java.util.concurrent.ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "flinkcluster-retry");
                thread.setDaemon(true);
                return thread;
            });
            retries.setRemoveOnCancelPolicy(true);
            ClusterProvisioner provisioner = properties.provisioning()
                    ? new ClusterProvisioner(client, patcher, metrics, properties.namespaces(), properties.resync()) : null;
            log.info(properties.provisioning() ? "Creating the Flink cluster of each FlinkCluster that names no JobManager"
                    : "Not creating Flink clusters (savepoints.k8s.provisioning=false): each JobManager must exist");
            return new FlinkClusterWatcher(client, commands, patcher, properties.namespaces(), properties.resync(),
                    FlinkClusterWatcher.RETRIES, retries, provisioner);
        }

        /** Submits jars that live in the Flink image from inside the clusters the service creates. */
        @Bean
        @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "savepoints.k8s.provisioning",
                havingValue = "true", matchIfMissing = true)
        JobSubmitters jobSubmitters(KubernetesClient client, K8sBridgeProperties properties) {
            return new JobSubmitters(client, properties.submitterDeadline());
        }

        @Bean
        StatusWriter statusWriter(StatusModels models, ClusterStatusPatcher patcher, K8sBridgeProperties properties) {
            return new StatusWriter(models, patcher, properties.statusSettle(), properties.statusProgressDelay(),
                    properties.eventTtl());
        }

        /** A status write the API server refused is retried by the processor, not skipped. */
        @Autowired
        void configureProcessing(EventProcessingConfigurer processing) {
            processing.registerListenerInvocationErrorHandler(StatusWriter.PROCESSING_GROUP,
                    configuration -> PropagatingErrorHandler.instance());
        }

        @Bean(destroyMethod = "close")
        BridgeLeadership bridgeLeadership(KubernetesClient client, FlinkClusterWatcher watcher,
                                          K8sBridgeProperties properties) {
            String namespace = properties.leaseNamespace() != null ? properties.leaseNamespace()
                    : client.getConfiguration().getNamespace() != null ? client.getConfiguration().getNamespace() : "default";
            String identity = System.getenv().getOrDefault("HOSTNAME", "local") + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new BridgeLeadership(client, watcher, namespace, K8sBridgeProperties.LEASE_NAME, identity,
                    properties.leaseDuration());
        }

        /** Commands need the whole service up: the election (and with the Lease, the watcher) starts once it is. */
        @EventListener(ApplicationReadyEvent.class)
        void startWatching(ApplicationReadyEvent ready) {
            ready.getApplicationContext().getBean(BridgeLeadership.class).start();
        }
    }
}
