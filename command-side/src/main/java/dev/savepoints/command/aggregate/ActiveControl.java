package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.ControlName;

/** The user control in progress; {@code triggerId} is its savepoint, when it takes one. */
record ActiveControl(String controlId, ControlName name, String triggerId) {
}
