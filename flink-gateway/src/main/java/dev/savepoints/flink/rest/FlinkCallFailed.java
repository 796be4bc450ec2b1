package dev.savepoints.flink.rest;

/**
 * A Flink REST call that did not succeed, with what kind of failure it was. {@link #retryable()} tells a
 * passing condition (Flink unreachable, slow, electing a leader) from an answer that will not change.
 */
public class FlinkCallFailed extends RuntimeException {

    public enum Kind {
        /** No connection (refused, reset, unknown host). */
        UNREACHABLE(true),
        /** No answer within the call's timeout. */
        TIMEOUT(true),
        /** 503: the JobManager is starting or electing a leader. */
        UNAVAILABLE(true),
        /** 404: no such job, trigger or jar. */
        NOT_FOUND(false),
        /** Another 4xx: Flink refused the request. */
        REJECTED(false),
        /** A 5xx other than 503. */
        SERVER_ERROR(false),
        /** A 2xx answer this client cannot read. */
        UNREADABLE(false),
        /** The call is served elsewhere (a job submitter in the Flink cluster) and has not ended yet. */
        PENDING(true),
        /** The Flink cluster the service created for the job is not as declared, or its JobManager not ready, yet. */
        NOT_READY(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Kind kind;
    private final int status;

    public FlinkCallFailed(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return kind.retryable;
    }
}
