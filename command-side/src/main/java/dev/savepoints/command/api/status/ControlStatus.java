package dev.savepoints.command.api.status;

import java.time.Instant;

/**
 * {@code status.control}: the latest user control, or {@value #UPDATE} for a spec change that was refused (and,
 * once corrected, accepted). {@code controlId} ties it to its savepoint; it is not shown in the CR.
 */
public record ControlStatus(String controlId, String name, ControlState state, String flinkJobId,
                            String savepointTriggerId, String message, Instant updateTime) {

    /** The name under which a refused, and later corrected, spec change shows. */
    public static final String UPDATE = "update";

    boolean refusedUpdate() {
        return UPDATE.equals(name) && state == ControlState.FAILED;
    }
}
