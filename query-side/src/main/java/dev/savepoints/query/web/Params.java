package dev.savepoints.query.web;

import dev.savepoints.command.api.Texts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Set;

/** Checks and parses query parameters; every failure names the parameter. */
final class Params {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final int MAX_TEXT = 512;

    private Params() {
    }

    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadParameter("limit", "limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadParameter(name, name + " must be an ISO-8601 instant such as 2026-11-20T02:10:19Z, was '"
                    + shorten(value) + "'");
        }
    }

    static String oneOf(String name, String value, Set<String> allowed) {
        if (value == null) {
            return null;
        }
        String upper = value.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (!allowed.contains(upper)) {
            throw new BadParameter(name, name + " must be one of " + allowed.stream().sorted().toList() + ", was '"
                    + shorten(value) + "'");
        }
        return upper;
    }

    static String text(String name, String value) {
        if (value != null && (value.isBlank() || value.length() > MAX_TEXT)) {
            throw new BadParameter(name, name + " must be 1 to " + MAX_TEXT + " characters");
        }
        return printable(name, value);
    }

    /** No control characters: PostgreSQL refuses a NUL in a string, and none belongs in a name. */
    static String printable(String name, String value) {
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new BadParameter(name, name + " must not contain control characters");
        }
        return value;
    }

    /** The job a path names, e.g. {@code /namespaces/{namespace}/flinkclusters/{name}}. */
    static dev.savepoints.command.api.JobId jobId(String namespace, String name) {
        printable("namespace", namespace);
        printable("name", name);
        try {
            return dev.savepoints.command.api.JobId.of(namespace, name);
        } catch (IllegalArgumentException e) {
            throw new BadParameter(e.getMessage().contains("namespace") ? "namespace" : "name", e.getMessage());
        }
    }

    static String encodeCursor(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("cursor", "cursor is not one this service gave out");
        }
    }

    static String shorten(String value) {
        return Texts.fit(value, 65);
    }
}
