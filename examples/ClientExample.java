import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Calls every mini-lb endpoint once, streaming included, with only the JDK.
 *
 * <pre>java examples/ClientExample.java [http://127.0.0.1:8080]</pre>
 */
public class ClientExample {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";

        get(base, "/health");
        get(base, "/health_generate");
        get(base, "/get_model_info");
        get(base, "/v1/models");
        get(base, "/get_server_info");
        post(base, "/flush_cache", "");

        post(base, "/generate", """
                {"text": "The capital of France is", "sampling_params": {"max_new_tokens": 8, "temperature": 0}}""");
        post(base, "/generate", """
                {"text": ["Hello", "How are you"], "sampling_params": {"max_new_tokens": 4}}""");
        post(base, "/generate", """
                {"input_ids": [[1, 2, 3], [4, 5]], "sampling_params": {"max_new_tokens": 4}}""");
        post(base, "/generate", """
                {"text": "Logprobs please", "return_logprob": true, "sampling_params": {"max_new_tokens": 2}}""");
        post(base, "/v1/completions", """
                {"model": "default", "prompt": "Once upon a time", "max_tokens": 8}""");
        post(base, "/v1/chat/completions", """
                {"model": "default", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 8}""");

        System.out.println("== POST /v1/chat/completions (stream)");
        HttpRequest streaming = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "default", "stream": true, "max_tokens": 16,
                         "messages": [{"role": "user", "content": "Tell me a story"}]}"""))
                .build();
        HttpResponse<java.io.InputStream> response = HTTP.send(streaming, HttpResponse.BodyHandlers.ofInputStream());
        System.out.println("HTTP " + response.statusCode());
        try (var lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            lines.lines().filter(line -> !line.isEmpty()).forEach(line -> System.out.println("  " + line));
        }
    }

    private static void get(String base, String path) throws Exception {
        show("GET", path, HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    private static void post(String base, String path, String json) throws Exception {
        show("POST", path, HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static void show(String method, String path, HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        System.out.println("== " + method + " " + path + " -> HTTP " + response.statusCode());
        System.out.println("  " + (body.length() > 300 ? body.substring(0, 300) + "..." : body));
    }
}
