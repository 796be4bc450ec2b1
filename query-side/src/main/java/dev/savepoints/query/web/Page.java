package dev.savepoints.query.web;

import java.util.List;

/** A page of results; {@code nextCursor} is passed as {@code cursor} to get the next page, null on the last. */
public record Page<T>(List<T> items, String nextCursor) {
}
