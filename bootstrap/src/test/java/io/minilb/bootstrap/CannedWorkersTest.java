package io.minilb.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The warm-up's canned servers answer what the warm-up sends, and read no request beyond their bound. */
class CannedWorkersTest {

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aGenerationGetsItsCannedAnswerButABodyPastTheBoundDoesNot() throws Exception {
        try (CannedWorkers workers = CannedWorkers.start()) {
            assertThat(post(workers.decodeUrl(), "{\"text\":\"hi\"}").body()).contains("\"text\":\" warm\"");
            assertThat(post(workers.decodeUrl(), "{\"text\":\"hi\",\"stream\":true}").body())
                    .startsWith("data: {").endsWith("data: [DONE]\n\n");

            String huge = "{\"text\":\"" + "x".repeat((int) CannedWorkers.MAX_REQUEST_BYTES) + "\"}";
            assertThat(post(workers.decodeUrl(), huge).statusCode()).isNotEqualTo(200);
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url + "/generate"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
