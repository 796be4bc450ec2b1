package dev.savepoints.query.web;

import jakarta.persistence.criteria.Predicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.jpa.domain.Specification;

/** The filters of a list endpoint: each is added only when its (already checked) parameter was given. */
final class Filters<T> {

    private final List<Specification<T>> parts = new ArrayList<>();

    Filters<T> equal(String field, Object value) {
        if (value != null) {
            parts.add((root, query, cb) -> cb.equal(root.get(field), value));
        }
        return this;
    }

    /** {@code from} inclusive, {@code to} exclusive. */
    Filters<T> between(String field, Instant from, Instant to) {
        if (from != null) {
            parts.add((root, query, cb) -> cb.greaterThanOrEqualTo(root.get(field), from));
        }
        if (to != null) {
            parts.add((root, query, cb) -> cb.lessThan(root.get(field), to));
        }
        return this;
    }

    /** An action and its kinds: {@code control} matches {@code control} and {@code control:savepoint}. */
    Filters<T> action(String field, String action) {
        if (action != null) {
            String kinds = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%";
            parts.add((root, query, cb) -> cb.or(cb.equal(root.get(field), action),
                    cb.like(root.get(field), kinds, '\\')));
        }
        return this;
    }

    /** An outcome, where {@code NONE} is none recorded (null). */
    Filters<T> outcome(String field, String outcome) {
        if ("NONE".equals(outcome)) {
            parts.add((root, query, cb) -> cb.isNull(root.get(field)));
            return this;
        }
        return equal(field, outcome);
    }

    Filters<T> and(Specification<T> part) {
        if (part != null) {
            parts.add(part);
        }
        return this;
    }

    Specification<T> specification() {
        return (root, query, cb) -> cb.and(parts.stream().map(part -> part.toPredicate(root, query, cb))
                .toArray(Predicate[]::new));
    }
}
