package dev.savepoints.command.aggregate;

import java.util.UUID;

/**
 * Where the aggregate gets the ids of its decisions (savepoint triggers, controls). Flink takes a
 * client-chosen trigger id of 32 hex digits, which makes a retried trigger call idempotent.
 * Injected as a resource so that tests can make ids predictable.
 */
@FunctionalInterface
public interface TriggerIds {

    String next();

    static TriggerIds random() {
        return () -> UUID.randomUUID().toString().replace("-", "");
    }
}
