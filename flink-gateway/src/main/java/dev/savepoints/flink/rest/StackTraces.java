package dev.savepoints.flink.rest;

/** Turns Flink's stack traces into the line a user needs: what failed, and the deepest cause. */
final class StackTraces {

    static final int MAX_LENGTH = 1000;

    private StackTraces() {
    }

    /** "first line" or "first line; caused by: deepest cause", shortened to {@link #MAX_LENGTH}. */
    static String summary(String stackTrace) {
        if (stackTrace == null || stackTrace.isBlank()) {
            return null;
        }
        String first = firstLine(stackTrace);
        String deepest = null;
        for (String line : stackTrace.split("\\R")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("Caused by:")) {
                deepest = trimmed.substring("Caused by:".length()).trim();
            }
        }
        String summary = deepest == null || first.contains(deepest) ? first : first + "; caused by: " + deepest;
        return shorten(summary);
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String trimmed = text.strip();
        int end = trimmed.indexOf('\n');
        return shorten(end < 0 ? trimmed : trimmed.substring(0, end).strip());
    }

    private static String shorten(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "…";
    }
}
