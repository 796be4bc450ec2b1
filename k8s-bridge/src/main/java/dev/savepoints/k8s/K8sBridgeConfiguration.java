package dev.savepoints.k8s;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Decides at start-up whether the bridge runs, and says so in the log. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(K8sBridgeProperties.class)
public class K8sBridgeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(K8sBridgeConfiguration.class);

    @Bean
    BridgeActivation bridgeActivation(K8sBridgeProperties properties) {
        Optional<String> cluster = ClusterDetection.findCluster(System.getenv(), Path.of(System.getProperty("user.home")));
        BridgeActivation activation = BridgeActivation.decide(properties, cluster);
        log.info(activation.describe());
        if (Boolean.TRUE.equals(properties.enabled()) && cluster.isEmpty()) {
            throw new IllegalStateException("savepoints.k8s.enabled=true but no Kubernetes cluster was found "
                    + "(no in-cluster service account, no KUBECONFIG, no ~/.kube/config)");
        }
        return activation;
    }
}
