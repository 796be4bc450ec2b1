package dev.savepoints.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.ErrorResponseException;

/** Parameters and write bodies that must be refused with a 4xx before anything is asked or queried. */
class RequestChecksTest {

    @Test
    void controlCharactersInFiltersAndNamesAreRefused() {
        assertThatThrownBy(() -> Params.text("actor", "a\u0000b")).isInstanceOf(BadParameter.class)
                .hasMessage("actor must not contain control characters");
        assertThatThrownBy(() -> Params.jobId("default", "a\nb")).isInstanceOf(BadParameter.class)
                .satisfies(e -> assertThat(((BadParameter) e).parameter()).isEqualTo("name"));
        assertThatThrownBy(() -> Params.jobId(" ", "x")).isInstanceOf(BadParameter.class)
                .satisfies(e -> assertThat(((BadParameter) e).parameter()).isEqualTo("namespace"));
        assertThat(Params.text("actor", "' OR 1=1 --")).isEqualTo("' OR 1=1 --");
        assertThat(Params.jobId("default", "Odd_Name.X").toString()).isEqualTo("default/Odd_Name.X");
    }

    private static MockHttpServletRequest post(String contentType, String body) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/x");
        request.setContentType(contentType);
        if (body != null) {
            request.setContent(body.getBytes(StandardCharsets.UTF_8));
        }
        return request;
    }

    private static int status(MockHttpServletRequest request) {
        try {
            RequestBodies.requireNone(request);
            return 0;
        } catch (ErrorResponseException e) {
            return e.getStatusCode().value();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aWriteTakesNoBodyOrAnEmptyObject() {
        assertThatNoException().isThrownBy(() -> RequestBodies.requireNone(post(null, null)));
        assertThatNoException().isThrownBy(() -> RequestBodies.requireNone(post("application/json", " {} ")));
        assertThat(status(post("application/json", "{\"x\":\"" + "x".repeat(RequestBodies.MAX_BYTES) + "\"}"))).isEqualTo(413);
        assertThat(status(post("text/plain", "savepoint please"))).isEqualTo(415);
        assertThat(status(post("not a media type", "{}"))).isEqualTo(415);
        assertThat(status(post("application/json", "{\"reason\":"))).isEqualTo(400);
        assertThat(status(post("application/json", "[]"))).isEqualTo(400);
        assertThat(status(post("application/json;charset=UTF-8", "{\"targetDirectory\":\"/x\"}"))).isEqualTo(400);
    }
}
