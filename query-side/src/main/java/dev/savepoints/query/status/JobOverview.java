package dev.savepoints.query.status;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The current incarnation of every job, a page at a time, in the orders the history page offers, and each job's
 * savepoint failures of the last day: never more than one page of jobs is read.
 */
@Repository
@Transactional(readOnly = true)
public class JobOverview {

    public static final Duration FAILURE_WINDOW = Duration.ofHours(24);

    /** The orders of the overview; {@code STALENESS} puts the job most overdue against its own interval first. */
    public enum Sort {
        NAME("namespace, name"),
        STATE("state, namespace, name"),
        AGE("case when expected_to_run then savepoint_age_from end asc nulls last, namespace, name"),
        STALENESS("case when expected_to_run and savepoint_interval_seconds > 0 then extract(epoch from cast(:now as"
                + " timestamptz) - savepoint_age_from) / savepoint_interval_seconds end desc nulls last, namespace, name");

        private final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The order called {@code word}; {@code NAME} when none is given. */
        public static Sort of(String word) {
            if (word == null || word.isBlank()) {
                return NAME;
            }
            for (Sort sort : values()) {
                if (sort.word().equalsIgnoreCase(word)) {
                    return sort;
                }
            }
            throw new IllegalArgumentException("sort must be one of " + List.of(values()).stream().map(Sort::word)
                    .toList() + ", was '" + dev.savepoints.command.api.Texts.fit(word, 65) + "'");
        }
    }

    public record PageOfJobs(List<JobStatusRow> jobs, long total) {
    }

    private static final String CURRENT = """
            from (select distinct on (job_id) * from qs_job_status order by job_id, incarnation desc) current
            where (cast(:namespace as text) is null or namespace = cast(:namespace as text))
              and (cast(:state as text) is null or state = cast(:state as text))""";

    private final EntityManager entities;

    public JobOverview(EntityManager entities) {
        this.entities = entities;
    }

    /** Page {@code page} (from 0) of {@code size} jobs; null filters match all. */
    public PageOfJobs page(String namespace, String state, Sort sort, int page, int size, Instant now) {
        Query rows = entities.createNativeQuery("select * " + CURRENT + " order by " + sort.orderBy
                + " limit :limit offset :offset", JobStatusRow.class);
        filters(rows, namespace, state);
        if (sort == Sort.STALENESS) {
            rows.setParameter("now", now);
        }
        rows.setParameter("limit", size).setParameter("offset", (long) page * size);
        Query count = entities.createNativeQuery("select count(*) " + CURRENT);
        filters(count, namespace, state);
        @SuppressWarnings("unchecked")
        List<JobStatusRow> jobs = rows.getResultList();
        return new PageOfJobs(jobs, ((Number) count.getSingleResult()).longValue());
    }

    /** Failed and timed-out savepoints of each of {@code jobIds} since {@code now} minus {@link #FAILURE_WINDOW}. */
    public Map<String, Long> failures(Collection<String> jobIds, Instant now) {
        Map<String, Long> failures = new HashMap<>();
        if (jobIds.isEmpty()) {
            return failures;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> counts = entities.createNativeQuery("""
                        select job_id, count(*) from qs_savepoint
                        where job_id in (:jobIds) and outcome in ('FAILED', 'TIMED_OUT') and triggered_at >= :since
                        group by job_id""")
                .setParameter("jobIds", jobIds).setParameter("since", now.minus(FAILURE_WINDOW)).getResultList();
        counts.forEach(row -> failures.put((String) row[0], ((Number) row[1]).longValue()));
        return failures;
    }

    /** The namespaces of current jobs, for the overview's filter. */
    public List<String> namespaces() {
        @SuppressWarnings("unchecked")
        List<String> namespaces = entities.createNativeQuery(
                "select distinct namespace from qs_job_status order by namespace limit 1000").getResultList();
        return namespaces;
    }

    private static void filters(Query query, String namespace, String state) {
        query.setParameter("namespace", namespace).setParameter("state", state);
    }
}
