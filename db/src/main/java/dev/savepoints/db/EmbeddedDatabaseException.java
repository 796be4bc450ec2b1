package dev.savepoints.db;

/**
 * The embedded PostgreSQL cannot start on its data directory, for a reason the user can act on: another running
 * service owns the directory, or a server left there cannot be stopped safely. Spring Boot prints it as
 * "APPLICATION FAILED TO START" with {@link #action()} ({@link EmbeddedDatabaseFailureAnalyzer}).
 */
public class EmbeddedDatabaseException extends RuntimeException {

    private final String description;
    private final String action;

    public EmbeddedDatabaseException(String description, String action) {
        super(description + " " + action);
        this.description = description;
        this.action = action;
    }

    /** What is wrong. */
    public String description() {
        return description;
    }

    /** What the user can do about it. */
    public String action() {
        return action;
    }
}
