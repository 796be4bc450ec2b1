package dev.savepoints.query.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Whatever Spring MVC refuses before or besides {@link ProblemHandler} (a method not allowed, an unknown path, a
 * media type it cannot produce, a refused request body) is answered with a problem+json body too; an exception
 * no one expected is a 500 problem whose cause is logged, never shown.
 */
@RestControllerAdvice
@io.swagger.v3.oas.annotations.Hidden // not a response of every operation in the API description
@Order(Ordered.LOWEST_PRECEDENCE)
public class FrameworkProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(FrameworkProblems.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (databaseUnavailable(e)) {
            // Nothing was recorded: the caller is told so and may ask again; the readiness probe says the same.
            log.warn("Request refused, the database is unavailable: {}", e.getMessage());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "the service's database is unavailable; nothing was recorded, try again later");
            problem.setTitle("Database unavailable");
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "10").body(problem);
        }
        log.error("Request failed", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "the request failed inside the service; its log has the cause");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    /** Whether {@code e} comes of not reaching PostgreSQL (no connection, or one cut), whatever wraps it. */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof org.springframework.dao.DataAccessResourceFailureException
                    || cause instanceof org.springframework.transaction.CannotCreateTransactionException
                    || cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
