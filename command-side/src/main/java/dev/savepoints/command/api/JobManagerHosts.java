package dev.savepoints.command.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts a FlinkCluster may name as its JobManager (annotation {@code savepoints.dev/jobmanager-url}). The service
 * calls that address with its own network access, so whoever may annotate a FlinkCluster must not be able to point
 * it at anything else (a cloud metadata endpoint, a database, another tenant's service). A policy value, built from
 * configuration and handed to the rules that check a job's settings.
 * <p>Each entry is one of:
 * <ul>
 *   <li>{@code .suffix}: any host that ends with it ({@code .svc} permits {@code flink-jobmanager.team-a.svc});</li>
 *   <li>a pattern with {@code *} for any run of host characters ({@code *-jobmanager.*.svc}); {@code *} alone
 *       permits any host;</li>
 *   <li>a host name or address, exactly ({@code flink.example.org}, {@code 10.0.0.7}, {@code ::1}).</li>
 * </ul>
 * Host names compare without case and without a trailing dot.
 *
 * @param allowed the entries, in the order they are shown to the user
 */
public record JobManagerHosts(List<String> allowed) {

    /** The cluster's own service names. */
    public static final List<String> CLUSTER_SERVICES = List.of(".svc", ".svc.cluster.local");

    private static final Pattern HOST_CHARACTERS = Pattern.compile("[a-z0-9.*:\\[\\]-]+");

    public JobManagerHosts {
        List<String> normalized = new ArrayList<>();
        for (String entry : allowed == null ? List.<String>of() : allowed) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            String host = normalize(entry.trim());
            if (!HOST_CHARACTERS.matcher(host).matches()) {
                throw new IllegalArgumentException("a JobManager host entry may hold only host characters, '.' and '*',"
                        + " was '" + entry + "'");
            }
            if (!normalized.contains(host)) {
                normalized.add(host);
            }
        }
        allowed = List.copyOf(normalized);
    }

    /**
     * The configured entries (by default {@link #CLUSTER_SERVICES}) and the host of the service's JobManager address
     * template, whose {@code {name}} and {@code {namespace}} stand for any: the default address always works.
     */
    public static JobManagerHosts of(List<String> entries, String urlTemplate) {
        List<String> all = new ArrayList<>(entries == null ? List.of() : entries);
        String templateHost = templateHost(urlTemplate);
        if (templateHost != null) {
            all.add(templateHost);
        }
        return new JobManagerHosts(all);
    }

    /** Whether a JobManager at {@code host} may be called. */
    public boolean permits(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String candidate = normalize(host);
        for (String entry : allowed) {
            if (entry.startsWith(".") ? candidate.endsWith(entry) && candidate.length() > entry.length()
                    : entry.contains("*") ? wildcard(entry).matcher(candidate).matches()
                    : entry.equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** The entries as the user reads them in a refusal. */
    public String describe() {
        return allowed.isEmpty() ? "none" : String.join(", ", allowed);
    }

    /** The host part of a URL template such as {@code http://{name}-jobmanager.{namespace}.svc:8081}, placeholders as *. */
    static String templateHost(String template) {
        if (template == null) {
            return null;
        }
        String rest = template.contains("://") ? template.substring(template.indexOf("://") + 3) : template;
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String authority = rest.substring(0, end);
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        if (authority.startsWith("[")) {
            host = authority.substring(0, authority.indexOf(']') + 1);
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
        }
        host = host.replace("{name}", "*").replace("{namespace}", "*");
        return host.isBlank() ? null : host;
    }

    private static String normalize(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") && h.length() > 1 ? h.substring(0, h.length() - 1) : h;
    }

    private static Pattern wildcard(String entry) {
        String[] parts = entry.split("\\*", -1);
        StringBuilder regex = new StringBuilder(Pattern.quote(parts[0]));
        for (int i = 1; i < parts.length; i++) {
            regex.append("[a-z0-9.:-]+").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
