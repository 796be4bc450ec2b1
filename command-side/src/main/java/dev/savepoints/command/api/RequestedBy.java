package dev.savepoints.command.api;

import java.time.Instant;

/**
 * Who asked for something, from where and when they asked. {@code actor} is a Kubernetes field manager,
 * an authenticated REST principal, or the service itself ({@link #SERVICE_ACTOR}).
 *
 * @param requestedAt when the request was made at its source (e.g. the managedFields time), may be null
 */
public record RequestedBy(String actor, Source source, Instant requestedAt) {

    public static final String SERVICE_ACTOR = "savepoint-orchestrator";

    public RequestedBy {
        actor = actor == null || actor.isBlank() ? "unknown" : actor;
        if (source == null) {
            throw new IllegalArgumentException("a request needs its source");
        }
    }

    public static RequestedBy service(Source source) {
        return new RequestedBy(SERVICE_ACTOR, source, null);
    }
}
