package dev.savepoints.query.web;

import dev.savepoints.command.api.Decision;
import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.RequestedBy;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.command.api.TriggerSavepoint;
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
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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
        Decision decision;
        try {
            decision = commands.sendAndWait(new TriggerSavepoint(job, TriggerReason.REST, null,
                    new RequestedBy(caller.getName(), Source.REST, Instant.now())));
        } catch (AggregateNotFoundException e) {
            throw new NoSuchElementException("no FlinkCluster " + job + " is known");
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof AggregateNotFoundException) {
                throw new NoSuchElementException("no FlinkCluster " + job + " is known");
            }
            throw e;
        }
        if (decision.accepted()) {
            URI history = URI.create("/api/v1/namespaces/" + namespace + "/flinkclusters/" + name + "/savepoints");
            return ResponseEntity.accepted().location(history).body(Map.of("triggerId", decision.id()));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, decision.reason());
        problem.setTitle("Savepoint refused");
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }
}
