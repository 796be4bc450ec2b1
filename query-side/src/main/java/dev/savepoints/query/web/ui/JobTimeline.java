package dev.savepoints.query.web.ui;

import dev.savepoints.command.api.JobId;
import dev.savepoints.command.api.Texts;
import dev.savepoints.query.audit.AuditRepository;
import dev.savepoints.query.audit.AuditRow;
import dev.savepoints.query.history.SavepointRepository;
import dev.savepoints.query.history.SavepointRow;
import dev.savepoints.query.web.BadParameter;
import dev.savepoints.query.web.ReadController;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The data of a job page's timeline ({@link Timeline}), for the page's script. */
@RestController
@Transactional(readOnly = true)
public class JobTimeline {

    /** The most savepoints one timeline draws (a savepoint a minute for a day fits). */
    static final int TIMELINE_POINTS = 2000;
    static final int TIMELINE_MARKS = 500;
    static final Map<String, Duration> WINDOWS = windows();

    private final ReadController reads;
    private final SavepointRepository savepoints;
    private final AuditRepository audit;

    public JobTimeline(ReadController reads, SavepointRepository savepoints, AuditRepository audit) {
        this.reads = reads;
        this.savepoints = savepoints;
        this.audit = audit;
    }

    @GetMapping(path = "/ui/namespaces/{namespace}/flinkclusters/{name}/timeline", produces = "application/json")
    public Timeline timeline(@PathVariable String namespace, @PathVariable String name,
                             @RequestParam(required = false) String window) {
        Duration shown = WINDOWS.get(window(window));
        reads.status(namespace, name); // a job that is known, or 404
        String jobId = JobId.of(namespace, name).toString();
        Instant to = Instant.now();
        Instant from = to.minus(shown);
        List<SavepointRow> rows = savepoints.findByJobIdAndTriggeredAtGreaterThanEqualOrderByTriggeredAtDesc(jobId, from,
                Limit.of(TIMELINE_POINTS + 1));
        List<Timeline.Point> points = rows.stream().limit(TIMELINE_POINTS).map(SavepointRow::view)
                .map(view -> new Timeline.Point(view.triggeredAt().getEpochSecond(),
                        Duration.between(view.triggeredAt(), view.completedAt() != null ? view.completedAt() : to)
                                .toMillis() / 1000.0,
                        view.outcome(), view.reason(), view.triggerId(), view.actor(), view.failureCause()))
                .collect(Collectors.toCollection(ArrayList::new));
        Collections.reverse(points);
        List<Timeline.Mark> marks = audit.findByJobIdAndAtGreaterThanEqualOrderByGlobalIndexDesc(jobId, from,
                        Limit.of(TIMELINE_MARKS * 4)).stream().map(AuditRow::view)
                .filter(row -> markKind(row.action()) != null).limit(TIMELINE_MARKS)
                .map(row -> new Timeline.Mark(row.at().getEpochSecond(), markKind(row.action()), row.action(),
                        row.actor(), row.decision(), row.outcome()))
                .collect(Collectors.toCollection(ArrayList::new));
        Collections.reverse(marks);
        return new Timeline(from.getEpochSecond(), to.getEpochSecond(), points, marks, rows.size() > TIMELINE_POINTS);
    }

    /** The kind of line an action draws on the timeline; null for those it does not draw (savepoints are marks). */
    static String markKind(String action) {
        if (action == null) {
            return null;
        }
        if (action.equals("restart") || action.equals("upgrade") || action.equals("register")) {
            return action;
        }
        if (action.startsWith("control:")) {
            return "control";
        }
        return action.equals("change-settings") ? "settings" : null;
    }

    static String window(String window) {
        String theWindow = window == null || window.isBlank() ? "1h" : window;
        if (!WINDOWS.containsKey(theWindow)) {
            throw new BadParameter("window", "window must be one of " + WINDOWS.keySet() + ", was '"
                    + Texts.fit(theWindow, 65) + "'");
        }
        return theWindow;
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> windows = new LinkedHashMap<>();
        windows.put("5m", Duration.ofMinutes(5));
        windows.put("15m", Duration.ofMinutes(15));
        windows.put("1h", Duration.ofHours(1));
        windows.put("6h", Duration.ofHours(6));
        windows.put("24h", Duration.ofHours(24));
        windows.put("7d", Duration.ofDays(7));
        return windows;
    }
}
