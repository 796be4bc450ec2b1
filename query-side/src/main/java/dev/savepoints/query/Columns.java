package dev.savepoints.query;

/**
 * Values of events are written as they were decided, whatever their length; the read models' columns are bounded.
 * A value that does not fit is cut to the column with a mark, so that a projection never stalls on one event (it
 * would retry it forever, and every job's history and status would stop with it).
 */
public final class Columns {

    private Columns() {
    }

    public static String fit(String value, int width) {
        return value == null || value.length() <= width ? value : value.substring(0, width - 1) + "…";
    }
}
