package dev.savepoints.command.api;

/** How a savepoint's files were found gone. */
public enum DisposalMethod {
    /** Flink disposed of it ({@code POST /savepoint-disposal}, polled to its end). */
    FLINK,
    /** No JobManager answered; the service deleted the {@code file:} directory itself. */
    LOCAL_FILES,
    /** The files were gone already (disposed of by an earlier attempt whose result was lost, or by hand). */
    ALREADY_GONE
}
