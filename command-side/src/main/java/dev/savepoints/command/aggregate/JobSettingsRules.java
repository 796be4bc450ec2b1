package dev.savepoints.command.aggregate;

import dev.savepoints.command.api.JobArtifact;
import dev.savepoints.command.api.JobManagerHosts;
import dev.savepoints.command.api.JobSettings;
import dev.savepoints.command.api.RetentionPolicy;
import dev.savepoints.command.api.Texts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a job's settings must keep; the first rule broken is the reason given to the user. Pure functions of
 * the settings and the policy handed in, so that anything that checks a spec before the aggregate (an admission
 * webhook) can give the same answer.
 */
public final class JobSettingsRules {

    /** How much of a refused value a message shows. */
    private static final int SHOWN = 129;

    static final int MAX_PATH_LENGTH = 1024;
    /** Savepoints one annotation may pin: each is part of every snapshot of the job. */
    static final int MAX_PINNED = 100;
    private static final Pattern HTTP_URL = Pattern.compile("^https?://[^\\s/]+(/\\S*)?$");
    /** A scheme and an absolute path: gs://bucket/x, s3://bucket/x, and file:/x as Flink writes its locations. */
    private static final Pattern URI_WITH_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:/\\S*$");
    /** Schemes that name no file system Flink reads or writes savepoints on (web, mail, script, ftp locations). */
    private static final Set<String> NOT_FILE_SYSTEMS = Set.of("http", "https", "ftp", "ftps",
            "sftp", "jar", "data", "mailto", "javascript", "ldap", "ldaps", "ws", "wss", "telnet", "gopher");

    private JobSettingsRules() {
    }

    /**
     * @param jobManagerHosts the hosts a JobManager address of the settings may name
     */
    public static Optional<String> firstViolation(JobSettings settings, JobManagerHosts jobManagerHosts) {
        if (settings == null) {
            return Optional.of("the job has no settings");
        }
        if (settings.autoSavepointSeconds() != null && settings.autoSavepointSeconds() < 0) {
            return Optional.of("autoSavepointSeconds must not be negative, was " + settings.autoSavepointSeconds());
        }
        if (settings.autoSavepointSeconds() != null && settings.autoSavepointSeconds() > 0 && !settings.hasSavepointsDir()) {
            return Optional.of("autoSavepointSeconds needs savepointsDir to be set");
        }
        if (settings.maxStateAgeToRestoreSeconds() != null && settings.maxStateAgeToRestoreSeconds() < 0) {
            return Optional.of("maxStateAgeToRestoreSeconds must not be negative, was " + settings.maxStateAgeToRestoreSeconds());
        }
        Optional<String> retention = retentionViolation(settings.retention());
        if (retention.isPresent()) {
            return retention;
        }
        Optional<String> dir = pathViolation("savepointsDir", settings.savepointsDir());
        if (dir.isPresent()) {
            return dir;
        }
        Optional<String> from = pathViolation("fromSavepoint", settings.fromSavepoint());
        if (from.isPresent()) {
            return from;
        }
        if (settings.jobManagerUrl() != null && settings.jobManagerUrl().length() > MAX_PATH_LENGTH) {
            return Optional.of("the JobManager address is longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (settings.jobManagerUrl() != null && !HTTP_URL.matcher(settings.jobManagerUrl()).matches()) {
            return Optional.of("the JobManager address must be an http(s) URL, was '" + Texts.fit(settings.jobManagerUrl(), SHOWN) + "'");
        }
        Optional<String> host = jobManagerHostViolation(settings.jobManagerUrl(), jobManagerHosts);
        if (host.isPresent()) {
            return host;
        }
        return artifactViolation(settings.artifact());
    }

    private static Optional<String> retentionViolation(RetentionPolicy retention) {
        if (retention == null) {
            return Optional.empty();
        }
        if (retention.maxCount() != null && retention.maxCount() < 0) {
            return Optional.of("retention.maxCount must not be negative, was " + retention.maxCount());
        }
        if (retention.maxAgeSeconds() != null && retention.maxAgeSeconds() < 0) {
            return Optional.of("retention.maxAgeSeconds must not be negative, was " + retention.maxAgeSeconds());
        }
        if (retention.pinned().size() > MAX_PINNED || retention.pinned().stream().anyMatch(p -> p.length() > MAX_PATH_LENGTH)) {
            return Optional.of("annotation " + RetentionPolicy.PIN_ANNOTATION + " names more than " + MAX_PINNED
                    + " savepoints, or one longer than " + MAX_PATH_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /**
     * The host is read as the JDK's HTTP client reads it ({@link URI#getHost()}), so that the host checked is the one
     * called: {@code http://x.svc@evil.example/} names {@code evil.example}.
     */
    private static Optional<String> jobManagerHostViolation(String url, JobManagerHosts hosts) {
        if (url == null) {
            return Optional.empty();
        }
        String host;
        try {
            host = new URI(url).getHost();
        } catch (URISyntaxException e) {
            host = null;
        }
        if (host == null) {
            return Optional.of("the JobManager address names no host that can be checked, was '" + Texts.fit(url, SHOWN) + "'");
        }
        if (hosts == null || !hosts.permits(host)) {
            return Optional.of("the JobManager address may only name a host that savepoints.flink.job-manager-hosts permits ("
                    + (hosts == null ? "none" : hosts.describe()) + "), was '" + Texts.fit(host, SHOWN) + "'");
        }
        return Optional.empty();
    }

    private static Optional<String> artifactViolation(JobArtifact artifact) {
        if (artifact == null) {
            return Optional.empty();
        }
        if (artifact.jarFile() == null || artifact.jarFile().isBlank()) {
            return Optional.of("jarFile must be set to run the job");
        }
        if (artifact.parallelism() != null && artifact.parallelism() < 1) {
            return Optional.of("parallelism must be at least 1, was " + artifact.parallelism());
        }
        return Optional.empty();
    }

    /** A location Flink can write to or read from: an absolute path or a URI with a scheme (gs://, s3://, file://...). */
    private static Optional<String> pathViolation(String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            return Optional.of(field + " must not be blank");
        }
        if (value.length() > MAX_PATH_LENGTH) {
            return Optional.of(field + " is longer than " + MAX_PATH_LENGTH + " characters");
        }
        if (!value.startsWith("/") && !URI_WITH_SCHEME.matcher(value).matches()) {
            return Optional.of(field + " must be an absolute path or a URI with a scheme such as gs:// or s3://, was '"
                    + Texts.fit(value, SHOWN) + "'");
        }
        if (value.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(field + " must not contain white space");
        }
        String scheme = value.startsWith("/") ? "" : value.substring(0, value.indexOf(':')).toLowerCase(Locale.ROOT);
        if (NOT_FILE_SYSTEMS.contains(scheme)) {
            return Optional.of(field + " cannot use scheme '" + scheme + "': savepoints are on a file system such as"
                    + " file:/, s3://, gs://, hdfs://, abfss://");
        }
        if (Arrays.asList(value.split("/")).contains("..")) {
            return Optional.of(field + " must not contain '..' segments, was '" + Texts.fit(value, SHOWN) + "'");
        }
        return Optional.empty();
    }
}
