package dev.savepoints.query.web;

import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.DisposeSavepoint;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.PinSavepoint;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
import dev.savepoints.command.api.UnpinSavepoint;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.NoSuchElementException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Requests through REST, decided by the FlinkJob aggregate and recorded with the caller as actor. */
@RestController
@RequestMapping(path = "/api/v1", produces = {"application/json", "application/problem+json"})
public class WriteController {

    private final CommandGateway commands;

    public WriteController(CommandGateway commands) {
        this.commands = commands;
    }

    /**
     * 202 with the trigger id when accepted; 409 with the reason when refused; 404 for an unknown cluster. The
     * request takes no body: an empty one or {@code {}} is fine; anything else is refused before the job is asked.
     */
    @PostMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints")
    public ResponseEntity<?> requestSavepoint(@PathVariable String namespace, @PathVariable String name,
                                              Authentication caller, HttpServletRequest request) throws IOException {
        JobId job = Params.jobId(namespace, name);
        RequestBodies.requireNone(request);
        Decision decision = decide(job, new TriggerSavepoint(job, TriggerReason.REST, null, requestedBy(caller)));
        if (decision.accepted()) {
            return ResponseEntity.accepted().location(history(namespace, name)).body(Map.of("triggerId", decision.id()));
        }
        return refused("Savepoint refused", decision);
    }

    /**
     * Disposes of a completed savepoint of the job now: 202 when its disposal is under way (the history shows
     * DISPOSING, then DISPOSED once its files are gone); 409 with the reason when the savepoint is protected (the
     * latest, the one the job started from, pinned, ...) or not retained.
     */
    @PostMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints/{triggerId}/disposal")
    public ResponseEntity<?> dispose(@PathVariable String namespace, @PathVariable String name,
                                     @PathVariable String triggerId, Authentication caller,
                                     HttpServletRequest request) throws IOException {
        JobId job = Params.jobId(namespace, name);
        RequestBodies.requireNone(request);
        Decision decision = decide(job, new DisposeSavepoint(job, Params.text("triggerId", triggerId),
                requestedBy(caller)));
        if (decision.accepted()) {
            return ResponseEntity.accepted().location(history(namespace, name))
                    .body(Map.of("triggerId", triggerId, "retention", "DISPOSING"));
        }
        return refused("Disposal refused", decision);
    }

    /** Keeps a savepoint whatever the retention policy says: 200 (also when pinned already); 409 when not retained. */
    @PutMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints/{triggerId}/pin")
    public ResponseEntity<?> pin(@PathVariable String namespace, @PathVariable String name,
                                 @PathVariable String triggerId, Authentication caller,
                                 HttpServletRequest request) throws IOException {
        JobId job = Params.jobId(namespace, name);
        RequestBodies.requireNone(request);
        Decision decision = decide(job, new PinSavepoint(job, Params.text("triggerId", triggerId), requestedBy(caller)));
        return decision.outcome() == Decision.Outcome.REJECTED ? refused("Pin refused", decision)
                : ResponseEntity.ok(Map.of("triggerId", triggerId, "pinned", true));
    }

    /** Lets the retention policy decide about the savepoint again (it may be disposed of at once): 200; 409 when not retained. */
    @DeleteMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints/{triggerId}/pin")
    public ResponseEntity<?> unpin(@PathVariable String namespace, @PathVariable String name,
                                   @PathVariable String triggerId, Authentication caller,
                                   HttpServletRequest request) throws IOException {
        JobId job = Params.jobId(namespace, name);
        RequestBodies.requireNone(request);
        Decision decision = decide(job, new UnpinSavepoint(job, Params.text("triggerId", triggerId),
                requestedBy(caller)));
        return decision.outcome() == Decision.Outcome.REJECTED ? refused("Unpin refused", decision)
                : ResponseEntity.ok(Map.of("triggerId", triggerId, "pinned", false));
    }

    private static RequestedBy requestedBy(Authentication caller) {
        return new RequestedBy(caller.getName(), Source.REST, Instant.now());
    }

    private static URI history(String namespace, String name) {
        return URI.create("/api/v1/namespaces/" + namespace + "/flinkclusters/" + name + "/savepoints");
    }

    private static ResponseEntity<ProblemDetail> refused(String title, Decision decision) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, decision.reason());
        problem.setTitle(title);
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** Sends a request to the job; a job the service does not know is a 404. */
    private Decision decide(JobId job, Object command) {
        try {
            return commands.sendAndWait(command);
        } catch (AggregateNotFoundException e) {
            throw new NoSuchElementException("no FlinkCluster " + job + " is known");
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof AggregateNotFoundException) {
                throw new NoSuchElementException("no FlinkCluster " + job + " is known");
            }
            throw e;
        }
    }
}
