package dev.savepoints.flink;

import dev.savepoints.command.aggregate.FlinkJob;

/** A deliberate breach of the module rule, so the architecture test shows it can fail. Test code only. */
public class ArchitectureOffender {

    public Class<FlinkJob> reachesIntoTheAggregate() {
        return FlinkJob.class;
    }
}
