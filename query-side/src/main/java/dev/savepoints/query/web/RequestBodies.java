package dev.savepoints.query.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The bodies of write requests. None of them takes fields today, so a body is refused unless it is empty or
 * {@code {}}: a field the caller thinks is honoured (a target directory, a reason) is never silently ignored.
 */
final class RequestBodies {

    static final int MAX_BYTES = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestBodies() {
    }

    static void requireNone(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            throw refused(HttpStatus.PAYLOAD_TOO_LARGE, "the request body may have at most " + MAX_BYTES
                    + " bytes, had " + request.getContentLengthLong());
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(MAX_BYTES + 1);
        }
        if (body.length > MAX_BYTES) {
            throw refused(HttpStatus.PAYLOAD_TOO_LARGE, "the request body may have at most " + MAX_BYTES + " bytes");
        }
        if (body.length == 0 && request.getContentLengthLong() <= 0) {
            return; // no body
        }
        if (!isJson(request.getContentType())) {
            throw refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "a request body must be application/json (or left out), was "
                    + Params.shorten(String.valueOf(request.getContentType())));
        }
        if (new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw refused(HttpStatus.BAD_REQUEST, "the request body is not valid JSON: "
                    + Params.shorten(e.getOriginalMessage()));
        }
        if (!json.isObject()) {
            throw refused(HttpStatus.BAD_REQUEST, "the request body must be a JSON object (or left out)");
        }
        if (!json.isEmpty()) {
            throw refused(HttpStatus.BAD_REQUEST, "unknown field '" + Params.shorten(json.fieldNames().next())
                    + "': this request takes no fields (the savepoint goes to the job's savepointsDir)");
        }
    }

    private static boolean isJson(String contentType) {
        try {
            return contentType != null && MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.APPLICATION_JSON);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static ErrorResponseException refused(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle("Bad request body");
        return new ErrorResponseException(status, problem, null);
    }
}
