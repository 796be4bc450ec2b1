package dev.savepoints.query.web.ui;

import static dev.savepoints.query.web.ui.Links.blank;
import static dev.savepoints.query.web.ui.Links.jobHref;
import static dev.savepoints.query.web.ui.Links.params;
import static dev.savepoints.query.web.ui.Links.url;
import static dev.savepoints.query.web.ui.Links.with;

import dev.savepoints.query.audit.AuditView;
import dev.savepoints.query.history.SavepointView;
import dev.savepoints.query.status.JobOverview;
import dev.savepoints.query.status.JobStatusRow;
import dev.savepoints.query.status.JobStatusView;
import dev.savepoints.query.status.Staleness;
import dev.savepoints.query.web.BadParameter;
import dev.savepoints.query.web.Page;
import dev.savepoints.query.web.ReadController;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The read-only history pages: an overview of every job, one job's timeline, history and audit feed, and the audit
 * log. They read what the REST API reads (through {@link ReadController}, with its checks of every parameter) and
 * refresh their tables from the fragments below every few seconds. Every value is written as text by the templates.
 */
@Controller
@RequestMapping("/ui")
@Transactional(readOnly = true)
public class HistoryPages {

    static final int JOBS_PER_PAGE = 50;
    static final int SAVEPOINTS_PER_PAGE = 25;
    static final int AUDIT_PER_PAGE = 50;

    private final ReadController reads;
    private final JobOverview overview;

    public HistoryPages(ReadController reads, JobOverview overview) {
        this.reads = reads;
        this.overview = overview;
    }

    @GetMapping
    public String overview(@RequestParam(required = false) String namespace,
                           @RequestParam(required = false) String state,
                           @RequestParam(required = false) String sort,
                           @RequestParam(required = false) Integer page, Model model) {
        overviewRows(namespace, state, sort, page, model);
        model.addAttribute("namespaces", overview.namespaces());
        model.addAttribute("states", ReadController.states());
        model.addAttribute("sorts", List.of(JobOverview.Sort.values()).stream().map(JobOverview.Sort::word).toList());
        return "ui/overview";
    }

    @GetMapping("/rows")
    public String overviewRows(@RequestParam(required = false) String namespace,
                               @RequestParam(required = false) String state,
                               @RequestParam(required = false) String sort,
                               @RequestParam(required = false) Integer page, Model model) {
        String theNamespace = blank(namespace);
        String theState = blank(state) == null ? null : ReadController.state(state);
        JobOverview.Sort theSort = sort(sort);
        int thePage = page == null ? 0 : page;
        if (thePage < 0 || thePage > 100_000) {
            throw new BadParameter("page", "page must be between 0 and 100000, was " + thePage);
        }
        Instant now = Instant.now();
        JobOverview.PageOfJobs jobs = overview.page(theNamespace, theState, theSort, thePage, JOBS_PER_PAGE, now);
        Map<String, Long> failures = overview.failures(jobs.jobs().stream().map(JobStatusRow::jobId).toList(), now);
        model.addAttribute("jobs", jobs.jobs().stream().map(row -> {
            JobStatusView view = row.view(now);
            return OverviewRow.of(view, Staleness.of(row, now), jobHref(view.namespace(), view.name()),
                    failures.getOrDefault(row.jobId(), 0L));
        }).toList());
        model.addAttribute("total", jobs.total());
        model.addAttribute("namespace", theNamespace);
        model.addAttribute("state", theState);
        model.addAttribute("sort", theSort.word());
        model.addAttribute("page", thePage);
        model.addAttribute("pages", Math.max(1, (jobs.total() + JOBS_PER_PAGE - 1) / JOBS_PER_PAGE));
        Map<String, Object> filters = params("namespace", theNamespace, "state", theState, "sort", theSort.word());
        model.addAttribute("rowsUrl", url("/ui/rows", with(filters, "page", thePage)));
        model.addAttribute("previousUrl", thePage == 0 ? null : url("/ui", with(filters, "page", thePage - 1)));
        model.addAttribute("nextUrl", (long) (thePage + 1) * JOBS_PER_PAGE >= jobs.total() ? null
                : url("/ui", with(filters, "page", thePage + 1)));
        return "ui/overview :: rows";
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}")
    public String job(@PathVariable String namespace, @PathVariable String name,
                      @RequestParam(required = false) String window,
                      @RequestParam(required = false) String cursor,
                      @RequestParam(required = false) String savepoint, Model model) {
        summary(namespace, name, model);
        model.addAttribute("window", JobTimeline.window(window));
        model.addAttribute("windows", JobTimeline.WINDOWS.keySet());
        model.addAttribute("timelineUrl", url(jobHref(namespace, name) + "/timeline",
                params("window", JobTimeline.window(window))));
        model.addAttribute("summaryUrl", url(jobHref(namespace, name) + "/summary", Map.of()));
        String selected = blank(savepoint);
        if (selected != null) {
            model.addAttribute("selected", reads.savepoint(namespace, name, selected));
            model.addAttribute("selectedAudit", reads.audit(namespace, name, null, null, null, null, null, selected,
                    null, null, AUDIT_PER_PAGE, null).items().stream().map(this::auditRow).toList());
        }
        savepointRows(namespace, name, cursor, model);
        auditRows(namespace, name, null, model);
        return "ui/job";
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}/summary")
    public String summary(@PathVariable String namespace, @PathVariable String name, Model model) {
        Instant now = Instant.now();
        JobStatusRow current = reads.current(namespace, name);
        JobStatusView job = current.view(now);
        model.addAttribute("job", job);
        model.addAttribute("row", OverviewRow.of(job, Staleness.of(current, now), jobHref(namespace, name), 0));
        model.addAttribute("jobHref", jobHref(namespace, name));
        return "ui/job :: summary";
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}/savepoint-rows")
    public String savepointRows(@PathVariable String namespace, @PathVariable String name,
                                @RequestParam(required = false) String cursor, Model model) {
        Page<SavepointView> page = reads.savepointsOf(namespace, name, null, null, null, null, null,
                SAVEPOINTS_PER_PAGE, blank(cursor));
        model.addAttribute("savepoints", page.items().stream().map(view -> SavepointLine.of(view,
                jobHref(namespace, name))).toList());
        model.addAttribute("savepointRowsUrl", blank(cursor) == null
                ? url(jobHref(namespace, name) + "/savepoint-rows", Map.of()) : null);
        model.addAttribute("olderSavepointsUrl", page.nextCursor() == null ? null
                : url(jobHref(namespace, name), params("cursor", page.nextCursor())));
        model.addAttribute("newestSavepointsUrl", blank(cursor) == null ? null : jobHref(namespace, name));
        return "ui/job :: savepoints";
    }

    @GetMapping("/namespaces/{namespace}/flinkclusters/{name}/audit-rows")
    public String auditRows(@PathVariable String namespace, @PathVariable String name,
                            @RequestParam(required = false) String cursor, Model model) {
        Page<AuditView> page = reads.audit(namespace, name, null, null, null, null, null, null, null, null,
                AUDIT_PER_PAGE, blank(cursor));
        model.addAttribute("auditRows", page.items().stream().map(this::auditRow).toList());
        model.addAttribute("auditRowsUrl", url(jobHref(namespace, name) + "/audit-rows", Map.of()));
        model.addAttribute("olderAuditUrl", page.nextCursor() == null ? null
                : url("/ui/audit", params("namespace", namespace, "name", name, "cursor", page.nextCursor())));
        return "ui/job :: audit";
    }

    @GetMapping("/audit")
    public String auditLog(@RequestParam(required = false) String namespace,
                           @RequestParam(required = false) String name,
                           @RequestParam(required = false) String actor,
                           @RequestParam(required = false) String action,
                           @RequestParam(required = false) String decision,
                           @RequestParam(required = false) String outcome,
                           @RequestParam(required = false) String since,
                           @RequestParam(required = false) String until,
                           @RequestParam(required = false) String cursor, Model model) {
        auditLogRows(namespace, name, actor, action, decision, outcome, since, until, cursor, model);
        return "ui/audit";
    }

    @GetMapping("/audit/rows")
    public String auditLogRows(@RequestParam(required = false) String namespace,
                               @RequestParam(required = false) String name,
                               @RequestParam(required = false) String actor,
                               @RequestParam(required = false) String action,
                               @RequestParam(required = false) String decision,
                               @RequestParam(required = false) String outcome,
                               @RequestParam(required = false) String since,
                               @RequestParam(required = false) String until,
                               @RequestParam(required = false) String cursor, Model model) {
        Map<String, Object> filters = params("namespace", blank(namespace), "name", blank(name), "actor", blank(actor),
                "action", blank(action), "decision", blank(decision), "outcome", blank(outcome),
                "since", blank(since), "until", blank(until));
        Page<AuditView> page = reads.audit(blank(namespace), blank(name), blank(actor), null, blank(decision),
                blank(action), blank(outcome), null, blank(since), blank(until), AUDIT_PER_PAGE, blank(cursor));
        model.addAttribute("auditRows", page.items().stream().map(this::auditRow).toList());
        model.addAttribute("filters", filters);
        model.addAttribute("auditRowsUrl", blank(cursor) == null ? url("/ui/audit/rows", filters) : null);
        model.addAttribute("olderAuditUrl", page.nextCursor() == null ? null
                : url("/ui/audit", with(filters, "cursor", page.nextCursor())));
        model.addAttribute("newestAuditUrl", blank(cursor) == null ? null : url("/ui/audit", filters));
        return "ui/audit :: rows";
    }

    private AuditLine auditRow(AuditView view) {
        return AuditLine.of(view, jobHref(view.namespace(), view.name()));
    }

    private static JobOverview.Sort sort(String sort) {
        try {
            return JobOverview.Sort.of(sort);
        } catch (IllegalArgumentException e) {
            throw new BadParameter("sort", e.getMessage());
        }
    }
}
