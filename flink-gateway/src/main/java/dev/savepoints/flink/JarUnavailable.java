package dev.savepoints.flink;

/** The job's jar cannot be had (no such file, download refused): a retry will not help until the spec changes. */
public class JarUnavailable extends RuntimeException {

    public JarUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
