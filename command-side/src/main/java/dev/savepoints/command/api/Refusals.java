package dev.savepoints.command.api;

import org.axonframework.commandhandling.CommandExecutionException;

/**
 * What a refusal of the {@code FlinkJob} aggregate looks like to whoever sent the command: one of its rules
 * ({@link IllegalArgumentException} for a command that is wrong in itself, {@link IllegalStateException} for one
 * the job's state does not allow), thrown by the handler itself. Sent again, it would be refused again.
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Whether {@code failure} is a rule of the job rather than a failure on the way to it. Only the exception
     * itself counts (or, as a distributed command bus hands it back, the cause of a
     * {@link CommandExecutionException}): a database failure may carry an {@code IllegalStateException} deep in
     * its causes and is still a passing one.
     */
    public static boolean isRefusal(Throwable failure) {
        Throwable refusal = failure instanceof CommandExecutionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return refusal instanceof IllegalArgumentException || refusal instanceof IllegalStateException;
    }
}
