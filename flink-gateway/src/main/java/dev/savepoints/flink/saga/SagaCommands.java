package dev.savepoints.flink.saga;

import dev.savepoints.command.api.Refusals;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the sagas send a result to the aggregate, and what they make of one that does not go through. Every saga
 * treats the two kinds of failure alike:
 * <ul>
 *   <li>the aggregate <em>refused</em> it by one of its rules ({@link IllegalArgumentException} or
 *       {@link IllegalStateException}: a savepoint it does not know, a job no longer registered or no longer
 *       waiting for that result). Sent again, it would be refused again; the job has moved on, so the saga has
 *       nothing left to do there and ends;</li>
 *   <li>anything else (the database is away, a transaction timed out): the result is <em>not recorded yet</em>
 *       and the saga sends it again after a backoff, within its own deadline. The aggregate takes a repeated
 *       result once.</li>
 * </ul>
 * Lost races with another replica on the same job were already retried by the command gateway.
 */
final class SagaCommands {

    private static final Logger log = LoggerFactory.getLogger(SagaCommands.class);

    /** What became of a result sent to the aggregate. */
    enum Sent {
        /** The aggregate took it. */
        RECORDED,
        /** The aggregate refused it for good: the saga ends. */
        REFUSED,
        /** It did not get through this time: the saga sends it again later. */
        NOT_RECORDED;

        /** Whether the saga is done with this result: recorded, or refused for good. */
        boolean settled() {
            return this != NOT_RECORDED;
        }
    }

    private SagaCommands() {
    }

    /** Sends {@code command} and waits for the aggregate's answer; a failure is logged, never thrown. */
    static Sent send(CommandGateway commands, Object command) {
        try {
            commands.sendAndWait(command);
            return Sent.RECORDED;
        } catch (RuntimeException e) {
            if (refusedForGood(e)) {
                log.warn("{} refused by the job: {}; not sent again", command, e.getMessage());
                return Sent.REFUSED;
            }
            log.warn("{} not recorded yet: {}; sent again later", command, e.getMessage());
            return Sent.NOT_RECORDED;
        }
    }

    /** A rule of the aggregate, not a failure on the way to it ({@link Refusals}). */
    static boolean refusedForGood(Throwable failure) {
        return Refusals.isRefusal(failure);
    }
}
