package dev.savepoints.query;

/** Names shared by the projections of the query side. */
public final class QueryProjections {

    /** The tracking processor that writes every read model. */
    public static final String PROCESSING_GROUP = "query-projections";

    private QueryProjections() {
    }
}
