package dev.savepoints.flink.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A lean client of one JobManager's REST API (Flink 1.20 and 2.x). Every call has a timeout, and every way it
 * can fail ends in a {@link FlinkCallFailed} that says what happened. Parsing is tolerant: unknown fields are
 * ignored, and where the versions differ both forms are read.
 */
public class FlinkRestClient {

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration timeout;

    public FlinkRestClient(URI base, HttpClient http, ObjectMapper json, Duration timeout) {
        this.base = base;
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    public URI base() {
        return base;
    }

    public ClusterOverview overview() {
        JsonNode body = get("/overview");
        return new ClusterOverview(body.path("flink-version").asText(null), body.path("taskmanagers").asInt(),
                body.path("slots-total").asInt(), body.path("slots-available").asInt(), body.path("jobs-running").asInt());
    }

    public List<JobStatus> jobs() {
        List<JobStatus> jobs = new ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            jobs.add(new JobStatus(job.path("jid").asText(), job.path("name").asText(null), job.path("state").asText(),
                    job.path("tasks").path("running").asInt() + job.path("tasks").path("finished").asInt()
                            == job.path("tasks").path("total").asInt()));
        }
        return jobs;
    }

    public JobStatus job(String flinkJobId) {
        JsonNode body = get("/jobs/" + flinkJobId);
        boolean tasksRunning = true;
        for (JsonNode vertex : body.path("vertices")) {
            String status = vertex.path("status").asText();
            tasksRunning &= "RUNNING".equals(status) || "FINISHED".equals(status);
        }
        return new JobStatus(body.path("jid").asText(flinkJobId), body.path("name").asText(null), body.path("state").asText(),
                tasksRunning);
    }

    /** The job's root cause as "exception: message", from the exception history (2.x) or root-exception (1.x). */
    public String rootCause(String flinkJobId) {
        JsonNode body = get("/jobs/" + flinkJobId + "/exceptions");
        JsonNode entries = body.path("exceptionHistory").path("entries");
        if (entries.isArray() && !entries.isEmpty()) {
            JsonNode latest = entries.get(0);
            return StackTraces.summary(latest.path("stacktrace").asText(latest.path("exceptionName").asText(null)));
        }
        return StackTraces.summary(body.path("root-exception").asText(null));
    }

    /** The completed savepoints in the job's checkpoint history (Flink keeps the latest few), oldest first. */
    public List<FlinkSavepoint> completedSavepoints(String flinkJobId) {
        List<FlinkSavepoint> savepoints = new ArrayList<>();
        for (JsonNode entry : get("/jobs/" + flinkJobId + "/checkpoints").path("history")) {
            boolean savepoint = entry.path("is_savepoint").asBoolean(false)
                    || entry.path("checkpoint_type").asText("").contains("SAVEPOINT");
            String location = entry.path("external_path").asText(null);
            if (savepoint && "COMPLETED".equals(entry.path("status").asText()) && location != null && !"<checkpoint-not-externally-addressable>".equals(location)) {
                savepoints.add(new FlinkSavepoint(entry.path("id").asLong(), location,
                        Instant.ofEpochMilli(entry.path("trigger_timestamp").asLong()),
                        Instant.ofEpochMilli(entry.path("latest_ack_timestamp").asLong())));
            }
        }
        savepoints.sort(java.util.Comparator.comparingLong(FlinkSavepoint::id));
        return savepoints;
    }

    /** Triggers a savepoint with the caller's trigger id; Flink answers a repeated id with the same operation. */
    public String triggerSavepoint(String flinkJobId, String targetDirectory, String formatType, String triggerId) {
        ObjectNode request = json.createObjectNode()
                .put("target-directory", targetDirectory)
                .put("cancel-job", false)
                .put("formatType", formatType)
                .put("triggerId", triggerId);
        return post("/jobs/" + flinkJobId + "/savepoints", request).path("request-id").asText();
    }

    /** Stops the job with a final savepoint; its progress is read like a savepoint's, under the same trigger id. */
    public String stopWithSavepoint(String flinkJobId, String targetDirectory, String formatType, String triggerId) {
        ObjectNode request = json.createObjectNode()
                .put("targetDirectory", targetDirectory)
                .put("drain", false)
                .put("formatType", formatType)
                .put("triggerId", triggerId);
        return post("/jobs/" + flinkJobId + "/stop", request).path("request-id").asText();
    }

    /**
     * The state of the savepoint operation {@code triggerId}. Flink reports a failed savepoint as COMPLETED with a
     * {@code failure-cause}; that is returned as {@link SavepointStatus.State#FAILED}.
     */
    public SavepointStatus savepointStatus(String flinkJobId, String triggerId) {
        JsonNode body = get("/jobs/" + flinkJobId + "/savepoints/" + triggerId);
        if (!"COMPLETED".equals(body.path("status").path("id").asText())) {
            return SavepointStatus.inProgress();
        }
        JsonNode operation = body.path("operation");
        JsonNode failure = operation.path("failure-cause");
        if (!failure.isMissingNode() && !failure.isNull()) {
            return SavepointStatus.failed(StackTraces.summary(failure.path("stack-trace").asText(failure.path("class").asText(null))));
        }
        String location = operation.path("location").asText(null);
        if (location == null || location.isBlank()) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.UNREADABLE, 200,
                    "Flink reported savepoint " + triggerId + " completed without a location: " + body, null);
        }
        return SavepointStatus.completed(location);
    }

    /** Asks Flink to dispose of the savepoint at {@code location}: its state files and its metadata. */
    public String disposeSavepoint(String location) {
        ObjectNode request = json.createObjectNode().put("savepoint-path", location);
        return post("/savepoint-disposal", request).path("request-id").asText();
    }

    /**
     * The state of disposal {@code requestId}. Like a savepoint's, a failed disposal is COMPLETED with a
     * {@code failure-cause}; a savepoint Flink cannot find ({@code FileNotFoundException}) is {@code GONE}.
     */
    public DisposalStatus disposalStatus(String requestId) {
        JsonNode body = get("/savepoint-disposal/" + requestId);
        if (!"COMPLETED".equals(body.path("status").path("id").asText())) {
            return DisposalStatus.inProgress();
        }
        JsonNode failure = body.path("operation").path("failure-cause");
        if (failure.isMissingNode() || failure.isNull()) {
            return DisposalStatus.completed();
        }
        String trace = failure.path("stack-trace").asText(failure.path("class").asText(""));
        String cause = StackTraces.summary(trace);
        return trace.contains("java.io.FileNotFoundException") ? DisposalStatus.gone(cause) : DisposalStatus.failed(cause);
    }

    public void cancel(String flinkJobId) {
        send(HttpRequest.newBuilder(uri("/jobs/" + flinkJobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()), "PATCH /jobs/" + flinkJobId);
    }

    public List<UploadedJar> jars() {
        List<UploadedJar> jars = new ArrayList<>();
        for (JsonNode jar : get("/jars").path("files")) {
            jars.add(new UploadedJar(jar.path("id").asText(), jar.path("name").asText()));
        }
        return jars;
    }

    /** Uploads {@code jar} under {@code name}; returns the id the JobManager gave it. */
    public UploadedJar uploadJar(Path jar, String name) {
        String boundary = "----savepoints-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.REJECTED, 0, "cannot read jar " + jar + ": " + e.getMessage(), e);
        }
        JsonNode answer = send(HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), "POST /jars/upload");
        String file = answer.path("filename").asText();
        String id = Path.of(file).getFileName().toString();
        return new UploadedJar(id, name);
    }

    /** Runs an uploaded jar; returns the Flink job id. */
    public String runJar(String jarId, JarRun run) {
        ObjectNode request = json.createObjectNode();
        if (run.entryClass() != null) {
            request.put("entryClass", run.entryClass());
        }
        request.set("programArgsList", json.valueToTree(run.args()));
        if (run.parallelism() != null) {
            request.put("parallelism", run.parallelism());
        }
        if (run.flinkJobId() != null) {
            request.put("jobId", run.flinkJobId());
        }
        if (run.savepointPath() != null) {
            request.put("savepointPath", run.savepointPath());
            request.put("allowNonRestoredState", run.allowNonRestoredState());
            request.put("claimMode", "NO_CLAIM");
        }
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), "GET " + path);
    }

    private JsonNode post(String path, JsonNode request) {
        try {
            return send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request))), "POST " + path);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private JsonNode send(HttpRequest.Builder request, String call) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(timeout).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.TIMEOUT, 0,
                    call + " at " + base + ": no answer within " + timeout, e);
        } catch (ConnectException e) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.UNREACHABLE, 0,
                    call + " at " + base + ": connection refused", e);
        } catch (IOException e) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.UNREACHABLE, 0,
                    call + " at " + base + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkCallFailed(FlinkCallFailed.Kind.TIMEOUT, 0, call + " at " + base + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return readBody(response.body(), call, status);
        }
        String message = call + " at " + base + " answered " + status + ": " + errors(response.body());
        FlinkCallFailed.Kind kind = status == 503 ? FlinkCallFailed.Kind.UNAVAILABLE
                : status == 404 ? FlinkCallFailed.Kind.NOT_FOUND
                : status >= 500 ? FlinkCallFailed.Kind.SERVER_ERROR
                : FlinkCallFailed.Kind.REJECTED;
        throw new FlinkCallFailed(kind, status, message, null);
    }

    private JsonNode readBody(String body, String call, int status) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new FlinkCallFailed(FlinkCallFailed.Kind.UNREADABLE, status,
                    call + " at " + base + " answered with unreadable JSON: " + StackTraces.firstLine(body), e);
        }
    }

    /** Flink's error body is {"errors": ["...", ...]}; anything else is shown shortened. */
    private String errors(String body) {
        try {
            JsonNode errors = json.readTree(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> lines = new ArrayList<>();
                errors.forEach(e -> lines.add(StackTraces.summary(e.asText())));
                return String.join("; ", lines);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not Flink's error format: fall through
        }
        return StackTraces.firstLine(body);
    }
}
