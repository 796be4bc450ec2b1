package dev.savepoints.query.web.ui;

import dev.savepoints.query.status.Staleness;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the pages write durations and instants: short, in UTC, the way an on-call person reads them. */
final class Format {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Format() {
    }

    /** {@code 42 s}, {@code 5 min 3 s}, {@code 2 h 10 min}, {@code 3 d 4 h}; an empty string for null. */
    static String seconds(Long seconds) {
        if (seconds == null) {
            return "";
        }
        long s = seconds;
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
        }
        if (s < 86400) {
            return (s / 3600) + " h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + " min");
        }
        return (s / 86400) + " d" + (s % 86400 / 3600 == 0 ? "" : " " + (s % 86400 / 3600) + " h");
    }

    static String seconds(Integer seconds) {
        return seconds == null ? "" : seconds(seconds.longValue());
    }

    static String millis(Long millis) {
        if (millis == null) {
            return "";
        }
        return millis < 1000 ? millis + " ms" : millis < 60_000 ? String.format("%.1f s", millis / 1000.0)
                : seconds(millis / 1000);
    }

    static String time(Instant at) {
        return at == null ? "" : TIME.format(at);
    }

    /** The CSS class of a verdict: {@code fine}, {@code late}, {@code stale} or {@code none}. */
    static String stalenessClass(Staleness.Verdict verdict) {
        return switch (verdict) {
            case FINE -> "fine";
            case LATE -> "late";
            case STALE -> "stale";
            default -> "none";
        };
    }
}
