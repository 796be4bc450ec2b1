package dev.savepoints.query.web;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.Source;
import dev.savepoints.command.api.TriggerReason;
import dev.savepoints.query.audit.AuditRepository;
import dev.savepoints.query.audit.AuditRow;
import dev.savepoints.query.audit.AuditView;
import dev.savepoints.query.history.SavepointRepository;
import dev.savepoints.query.history.SavepointRow;
import dev.savepoints.query.history.SavepointView;
import dev.savepoints.query.status.JobStatusRepository;
import dev.savepoints.query.status.JobStatusRow;
import dev.savepoints.query.status.JobStatusView;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read API over the read models, with paths that mirror Kubernetes naming. Lists are newest first, in a stable
 * order, paged with an opaque cursor.
 */
@RestController
@RequestMapping(path = "/api/v1", produces = "application/json")
@Transactional(readOnly = true)
public class ReadController {

    static final Set<String> OUTCOMES = Set.of("IN_PROGRESS", "COMPLETED", "FAILED", "TIMED_OUT");
    static final Set<String> REASONS = names(TriggerReason.values());
    static final Set<String> SOURCES = names(Source.values());
    static final Set<String> DECISIONS = Set.of("ACCEPTED", "REJECTED");
    /** Outcomes of control actions; NONE: none recorded (not known yet, or an action that has none). */
    static final Set<String> AUDIT_OUTCOMES = Set.of("SUCCEEDED", "FAILED", "NONE");
    static final Set<String> RETENTIONS = Set.of("RETAINED", "DISPOSING", "DISPOSAL_FAILED", "DISPOSED");
    /** Sources of savepoint requests, and EXTERNAL for those taken outside the service. */
    static final Set<String> SAVEPOINT_SOURCES = java.util.stream.Stream.concat(SOURCES.stream(), java.util.stream.Stream.of("EXTERNAL"))
            .collect(Collectors.toUnmodifiableSet());
    static final List<String> STATES = Arrays.stream(dev.savepoints.command.api.JobState.values())
            .map(dev.savepoints.command.api.JobState::statusValue).toList();

    private final JobStatusRepository jobs;
    private final SavepointRepository savepoints;
    private final AuditRepository audit;

    public ReadController(JobStatusRepository jobs, SavepointRepository savepoints, AuditRepository audit) {
        this.jobs = jobs;
        this.savepoints = savepoints;
        this.audit = audit;
    }

    /** The job states a filter takes, in the CR status's words. */
    public static List<String> states() {
        return STATES;
    }

    /** The state word {@code state} names (case aside), or a {@link BadParameter}. */
    public static String state(String state) {
        return STATES.stream().filter(s -> s.equalsIgnoreCase(state)).findFirst()
                .orElseThrow(() -> new BadParameter("state", "state must be one of " + STATES + ", was '"
                        + Params.shorten(state) + "'"));
    }

    /** The current incarnation of every job, filtered by namespace and state (the CR status wording, e.g. Running). */
    @GetMapping("/flinkclusters")
    public Page<JobStatusView> clusters(@RequestParam(required = false) String namespace,
                                        @RequestParam(required = false) String state,
                                        @RequestParam(required = false) Integer limit,
                                        @RequestParam(required = false) String cursor) {
        String theNamespace = Params.text("namespace", namespace);
        String theState = state == null ? null : state(state);
        int size = Params.limit(limit);
        String after = Params.decodeCursor(cursor);
        List<JobStatusView> all = jobs.findCurrent(theNamespace, theState, after, size + 1).stream()
                .map(JobStatusRow::view).toList();
        List<JobStatusView> page = all.stream().limit(size).toList();
        String next = all.size() > size
                ? Params.encodeCursor(page.get(size - 1).namespace() + "/" + page.get(size - 1).name()) : null;
        return new Page<>(page, next);
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}")
    public JobStatusView status(@PathVariable String namespace, @PathVariable String name) {
        return current(namespace, name).view();
    }

    /** The current incarnation of a job the path names, or a 404 ({@link NoSuchElementException}). */
    public JobStatusRow current(String namespace, String name) {
        String jobId = jobId(namespace, name).toString();
        return jobs.findFirstByJobIdOrderByIncarnationDesc(jobId)
                .orElseThrow(() -> new NoSuchElementException("no FlinkCluster " + jobId + " is known"));
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints")
    public Page<SavepointView> savepointsOf(@PathVariable String namespace, @PathVariable String name,
                                            @RequestParam(required = false) String outcome,
                                            @RequestParam(required = false) String reason,
                                            @RequestParam(required = false) String retention,
                                            @RequestParam(required = false) String since,
                                            @RequestParam(required = false) String until,
                                            @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) String cursor) {
        return savepoints(namespace, jobId(namespace, name).name(), outcome, reason, null, null, retention, since, until,
                limit, cursor);
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoints/{triggerId}")
    public SavepointView savepoint(@PathVariable String namespace, @PathVariable String name,
                                   @PathVariable String triggerId) {
        String jobId = jobId(namespace, name).toString();
        return savepoints.findById(Params.text("triggerId", triggerId)).filter(row -> row.jobId().equals(jobId))
                .map(SavepointRow::view)
                .orElseThrow(() -> new NoSuchElementException("no savepoint " + Params.shorten(triggerId) + " of "
                        + jobId + " is known"));
    }

    @GetMapping("/savepoints")
    public Page<SavepointView> savepoints(@RequestParam(required = false) String namespace,
                                          @RequestParam(required = false) String name,
                                          @RequestParam(required = false) String outcome,
                                          @RequestParam(required = false) String reason,
                                          @RequestParam(required = false) String actor,
                                          @RequestParam(required = false) String source,
                                          @RequestParam(required = false) String retention,
                                          @RequestParam(required = false) String since,
                                          @RequestParam(required = false) String until,
                                          @RequestParam(required = false) Integer limit,
                                          @RequestParam(required = false) String cursor) {
        String theOutcome = Params.oneOf("outcome", outcome, OUTCOMES);
        String theReason = Params.oneOf("reason", reason, REASONS);
        String theSource = Params.oneOf("source", source, SAVEPOINT_SOURCES);
        int size = Params.limit(limit);
        String[] after = savepointCursor(Params.decodeCursor(cursor));
        Specification<SavepointRow> spec = job(new Filters<SavepointRow>(), namespace, name)
                .equal("outcome", theOutcome)
                .equal("reason", theReason)
                .equal("actor", Params.text("actor", actor))
                .equal("source", theSource)
                .equal("retention", Params.oneOf("retention", retention, RETENTIONS))
                .between("triggeredAt", Params.instant("since", since), Params.instant("until", until))
                .and(after == null ? null : (root, query, cb) -> {
                    Instant at = Instant.parse(after[0]);
                    // the bound alone lets the index start at the cursor; the rest picks up ties after it
                    return cb.and(cb.lessThanOrEqualTo(root.get("triggeredAt"), at),
                            cb.or(cb.lessThan(root.get("triggeredAt"), at), cb.lessThan(root.get("triggerId"), after[1])));
                })
                .specification();
        List<SavepointRow> rows = savepoints.findBy(spec, q -> q.sortBy(
                Sort.by(Sort.Order.desc("triggeredAt"), Sort.Order.desc("triggerId"))).limit(size + 1).all());
        List<SavepointView> views = rows.stream().limit(size).map(SavepointRow::view).toList();
        String next = rows.size() > size
                ? Params.encodeCursor(views.get(size - 1).triggeredAt() + "|" + views.get(size - 1).triggerId()) : null;
        return new Page<>(views, next);
    }

    @GetMapping("/audit")
    public Page<AuditView> audit(@RequestParam(required = false) String namespace,
                                 @RequestParam(required = false) String name,
                                 @RequestParam(required = false) String actor,
                                 @RequestParam(required = false) String source,
                                 @RequestParam(required = false) String decision,
                                 @RequestParam(required = false) String action,
                                 @RequestParam(required = false) String outcome,
                                 @RequestParam(required = false) String triggerId,
                                 @RequestParam(required = false) String since,
                                 @RequestParam(required = false) String until,
                                 @RequestParam(required = false) Integer limit,
                                 @RequestParam(required = false) String cursor) {
        int size = Params.limit(limit);
        Long before = auditCursor(Params.decodeCursor(cursor));
        Specification<AuditRow> spec = job(new Filters<AuditRow>(), namespace, name)
                .equal("actor", Params.text("actor", actor))
                .equal("source", Params.oneOf("source", source, SOURCES))
                .equal("decision", Params.oneOf("decision", decision, DECISIONS))
                .action("action", Params.text("action", action))
                .outcome("outcome", Params.oneOf("outcome", outcome, AUDIT_OUTCOMES))
                .equal("triggerId", Params.text("triggerId", triggerId))
                .between("at", Params.instant("since", since), Params.instant("until", until))
                .and(before == null ? null : (root, query, cb) -> cb.lessThan(root.get("globalIndex"), before))
                .specification();
        List<AuditRow> rows = audit.findBy(spec, q -> q.sortBy(Sort.by(Sort.Order.desc("globalIndex")))
                .limit(size + 1).all());
        List<AuditView> views = rows.stream().limit(size).map(AuditRow::view).toList();
        String next = rows.size() > size ? Params.encodeCursor(Long.toString(views.get(size - 1).sequence())) : null;
        return new Page<>(views, next);
    }

    /**
     * One job is filtered by its own column, which the read models' job indexes lead with; namespace and name
     * alone each filter their column. (Both columns at once scanned the whole table at a million rows.)
     */
    private static <T> Filters<T> job(Filters<T> filters, String namespace, String name) {
        String theNamespace = Params.text("namespace", namespace);
        String theName = Params.text("name", name);
        if (theNamespace != null && theName != null) {
            return filters.equal("jobId", jobId(theNamespace, theName).toString());
        }
        return filters.equal("namespace", theNamespace).equal("name", theName);
    }

    private static JobId jobId(String namespace, String name) {
        return Params.jobId(namespace, name);
    }

    private static String[] savepointCursor(String decoded) {
        if (decoded == null) {
            return null;
        }
        String[] parts = decoded.split("\\|", 2);
        if (parts.length != 2) {
            throw new BadParameter("cursor", "cursor is not one this service gave out");
        }
        Params.instant("cursor", parts[0]);
        return parts;
    }

    private static Long auditCursor(String decoded) {
        if (decoded == null) {
            return null;
        }
        try {
            return Long.parseLong(decoded);
        } catch (NumberFormatException e) {
            throw new BadParameter("cursor", "cursor is not one this service gave out");
        }
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toUnmodifiableSet());
    }
}
