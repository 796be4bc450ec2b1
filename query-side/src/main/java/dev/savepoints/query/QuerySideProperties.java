package dev.savepoints.query;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the query side's REST API ({@code savepoints.query.*}).
 *
 * @param readsOpen whether GET requests need no token (the default); false requires a token for reads too
 * @param tokens    bearer tokens by principal: {@code savepoints.query.tokens.ci-bot=<secret>} lets requests with
 *                  {@code Authorization: Bearer <secret>} write as "ci-bot", the actor the audit log shows.
 *                  Keep them in a Secret (environment {@code SAVEPOINTS_QUERY_TOKENS_CIBOT}); none means no writes
 */
@ConfigurationProperties("savepoints.query")
public record QuerySideProperties(Boolean readsOpen, Map<String, String> tokens) {

    public static final int MIN_TOKEN_LENGTH = 16;

    public QuerySideProperties {
        readsOpen = readsOpen == null || readsOpen;
        tokens = tokens == null ? Map.of() : Map.copyOf(tokens);
        tokens.forEach((principal, token) -> {
            if (token == null || token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("savepoints.query.tokens." + principal + " must be at least "
                        + MIN_TOKEN_LENGTH + " characters");
            }
        });
    }
}
