package dev.savepoints.command.api;

import java.time.Instant;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The observer could not reach the JobManager of {@code flinkJobId} for {@code failedRounds} rounds since {@code since}. */
public record ReportJobManagerUnreachable(@TargetAggregateIdentifier JobId jobId, String flinkJobId, Instant since,
                                          int failedRounds, String cause) {
}
