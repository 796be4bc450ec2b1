package dev.savepoints.flink;

import dev.savepoints.command.api.JobId;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The ids a log line is about, as MDC entries: plain text logs show them through the pattern, structured
 * (JSON) logs as fields. The service's message interceptor sets them from every command and event; the
 * sagas' deadlines and the observer, which handle no such message, set them here.
 */
public final class LogContext implements AutoCloseable {

    public static final String JOB = "job";
    public static final String TRIGGER = "trigger";
    public static final String FLINK_JOB = "flinkJob";

    private final Map<String, String> previous;

    private LogContext(Map<String, String> previous) {
        this.previous = previous;
    }

    /** Sets the ids that are not null until {@link #close()}, which restores what was there before. */
    public static LogContext of(JobId job, String triggerId, String flinkJobId) {
        LogContext context = new LogContext(MDC.getCopyOfContextMap());
        put(JOB, job == null ? null : job.toString());
        put(TRIGGER, triggerId);
        put(FLINK_JOB, flinkJobId);
        return context;
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(previous);
        }
    }
}
