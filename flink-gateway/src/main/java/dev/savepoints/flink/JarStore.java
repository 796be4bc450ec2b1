package dev.savepoints.flink;

import dev.savepoints.flink.rest.FlinkRestClient;
import dev.savepoints.flink.rest.UploadedJar;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Brings a job's jar to a JobManager once. The jar is uploaded under a name that starts with a hash of its
 * content, so the JobManager's jar list tells whether this very jar is there already, and a JobManager that lost
 * its jars (a restart) simply gets it again.
 */
public class JarStore {

    private final HttpClient http;
    private final Path cacheDirectory;
    private final Duration downloadTimeout;

    public JarStore(HttpClient http, Path cacheDirectory, Duration downloadTimeout) {
        this.http = http;
        this.cacheDirectory = cacheDirectory;
        this.downloadTimeout = downloadTimeout;
    }

    /** The id under which {@code client}'s JobManager holds the jar, uploading it when it is not there. */
    public String ensureUploaded(FlinkRestClient client, String jarFile) {
        Path jar = localCopy(jarFile);
        String name = uploadName(jar);
        return client.jars().stream()
                .filter(uploaded -> uploaded.name().equals(name))
                .map(UploadedJar::id)
                .findFirst()
                .orElseGet(() -> client.uploadJar(jar, name).id());
    }

    /**
     * Whether the service can get the jar itself: an http(s) URL, a {@code file:} URL, or a path readable here. A path
     * in the Flink image ({@code local:///opt/flink/usrlib/job.jar}, {@code ./examples/streaming/WordCount.jar}) is not.
     */
    public static boolean readable(String jarFile) {
        if (jarFile == null || jarFile.isBlank()) {
            return true; // nothing to get: refused as such where it is got
        }
        if (jarFile.startsWith("http://") || jarFile.startsWith("https://") || jarFile.startsWith("file:")) {
            return true;
        }
        if (jarFile.startsWith("local:")) {
            return false;
        }
        try {
            return Files.isRegularFile(Path.of(jarFile));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Takes the jar from a local path, a file: URL, or downloads an http(s) URL. */
    Path localCopy(String jarFile) {
        if (jarFile == null || jarFile.isBlank()) {
            throw new JarUnavailable("no jarFile is set", null);
        }
        Path local;
        if (jarFile.startsWith("http://") || jarFile.startsWith("https://")) {
            local = download(URI.create(jarFile));
        } else if (jarFile.startsWith("file:")) {
            local = Path.of(URI.create(jarFile));
        } else {
            local = Path.of(jarFile);
        }
        if (!Files.isRegularFile(local) || !Files.isReadable(local)) {
            throw new JarUnavailable("jarFile " + jarFile + " is not a readable file", null);
        }
        return local;
    }

    private Path download(URI url) {
        try {
            Files.createDirectories(cacheDirectory);
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).timeout(downloadTimeout).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new JarUnavailable("jarFile " + url + " could not be downloaded: HTTP " + response.statusCode(), null);
                }
                Path temp = Files.createTempFile(cacheDirectory, "download-", ".jar");
                Files.copy(body, temp, StandardCopyOption.REPLACE_EXISTING);
                return temp;
            }
        } catch (IOException e) {
            throw new JarUnavailable("jarFile " + url + " could not be downloaded: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JarUnavailable("download of jarFile " + url + " interrupted", e);
        }
    }

    static String uploadName(Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            String hash = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            String file = jar.getFileName().toString();
            return hash + "-" + (file.endsWith(".jar") ? file : file + ".jar");
        } catch (IOException e) {
            throw new JarUnavailable("jar " + jar + " cannot be read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
