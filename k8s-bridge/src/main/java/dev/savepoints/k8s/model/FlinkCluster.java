package dev.savepoints.k8s.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The FlinkCluster resource of the Flink-on-Kubernetes operator ({@code flinkoperator.k8s.io/v1beta1}), the part
 * of it this service reads and writes. Fields it does not model are kept (the schema preserves them), so
 * manifests written for the upstream operator apply unchanged.
 */
@Group("flinkoperator.k8s.io")
@Version("v1beta1")
@Kind("FlinkCluster")
@Plural("flinkclusters")
@Singular("flinkcluster")
@ShortNames("fc")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.flinkVersion")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state")
@AdditionalPrinterColumn(name = "Job State", jsonPath = ".status.components.job.state")
@AdditionalPrinterColumn(name = "TaskManagers", jsonPath = ".status.components.taskManager.ready", priority = 1)
@AdditionalPrinterColumn(name = "Savepoint Generation", jsonPath = ".status.components.job.savepointGeneration",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Savepoint", jsonPath = ".status.components.job.lastSavepointTime",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Control", jsonPath = ".status.control.state", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class FlinkCluster extends CustomResource<FlinkClusterSpec, FlinkClusterStatus> implements Namespaced {
}
