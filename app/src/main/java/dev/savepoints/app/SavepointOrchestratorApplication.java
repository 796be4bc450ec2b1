package dev.savepoints.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The service: every module's beans, entities and repositories live under {@code dev.savepoints}, so that is
 * what is scanned; the flow k8s-bridge → command-side → flink-gateway → query-side is in the module folders.
 */
@SpringBootApplication(scanBasePackages = "dev.savepoints")
@AutoConfigurationPackage(basePackages = "dev.savepoints")
public class SavepointOrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(SavepointOrchestratorApplication.class, args);
    }
}
