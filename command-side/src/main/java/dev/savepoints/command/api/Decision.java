package dev.savepoints.command.api;

/**
 * What a request that may be refused came to; returned by the command handlers of
 * {@link TriggerSavepoint} and {@link RequestControl}.
 *
 * @param id the trigger id or control id when accepted, or the id of the earlier decision when a duplicate
 */
public record Decision(Outcome outcome, String id, String reason) {

    public enum Outcome {
        ACCEPTED,
        REJECTED,
        /** The same request was decided before (a resync, a retry); nothing new was decided. */
        DUPLICATE,
        /** Taken, but not now: it stands, and is carried out as soon as it can be. */
        WAITING
    }

    public static Decision accepted(String id) {
        return new Decision(Outcome.ACCEPTED, id, null);
    }

    public static Decision rejected(String reason) {
        return new Decision(Outcome.REJECTED, null, reason);
    }

    public static Decision waiting(String reason) {
        return new Decision(Outcome.WAITING, null, reason);
    }

    public static Decision duplicate(String id, String reason) {
        return new Decision(Outcome.DUPLICATE, id, reason);
    }

    public boolean accepted() {
        return outcome == Outcome.ACCEPTED;
    }
}
