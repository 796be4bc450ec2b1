package dev.savepoints.command.api.status;

import dev.savepoints.command.api.TriggerReason;
import java.time.Instant;

/**
 * {@code status.savepoint}: the latest savepoint request and how it stands. {@code flinkJobId} and {@code triggerId}
 * are unset for a request refused or waiting before it reached Flink; {@code triggerTime} is then when it was
 * refused or due.
 */
public record SavepointRequest(String flinkJobId, String triggerId, Instant triggerTime, TriggerReason reason,
                               SavepointState state, String message) {

    SavepointRequest ended(SavepointState end, String why) {
        return new SavepointRequest(flinkJobId, triggerId, triggerTime, reason, end, why);
    }
}
