package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A small JSON-over-HTTP client for one node on loopback: every call returns status, parsed body and raw text. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: HTTP status, the body as JSON (missing node when empty or not JSON) and as text. */
    public record Reply(int status, JsonNode json, String raw) {

        /** Every {@code reason} string anywhere under {@code error}, outermost first (root causes, caused_by, ...). */
        public List<String> reasons() {
            List<String> out = new ArrayList<>();
            collect(json.path("error"), out);
            if (json.path("error").isTextual()) {
                out.add(json.path("error").asText());
            }
            return out;
        }

        public String errorType() {
            return json.path("error").path("type").asText("");
        }

        public boolean reasonContains(String text) {
            return reasons().stream().anyMatch(r -> r.contains(text));
        }

        /** Status and the first 300 characters of the body, for messages. */
        public String brief() {
            String body = raw == null ? "" : raw.replaceAll("\\s+", " ");
            return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }

        private static void collect(JsonNode node, List<String> out) {
            if (node.isObject()) {
                JsonNode reason = node.get("reason");
                if (reason != null && reason.isTextual()) {
                    out.add(reason.asText());
                }
                node.elements().forEachRemaining(child -> collect(child, out));
            } else if (node.isArray()) {
                node.forEach(child -> collect(child, out));
            }
        }
    }

    private final String base;
    private final HttpClient client;

    public Http(String base) {
        this.base = base.replaceAll("/+$", "");
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public String base() {
        return base;
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return call("GET", path, (byte[]) null, null);
    }

    public Reply call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    public Reply call(String method, String path, byte[] body, String contentType) throws IOException, InterruptedException {
        return call(method, path, body, contentType, Duration.ofSeconds(120));
    }

    public Reply call(String method, String path, byte[] body, String contentType, Duration timeout)
        throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request(method, path, body, contentType, timeout),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return reply(response);
    }

    /** The same call, asynchronously (the concurrency checks fire many at once). */
    public CompletableFuture<Reply> callAsync(String method, String path, String body) {
        return client.sendAsync(request(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "application/json",
            Duration.ofSeconds(120)), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(Http::reply);
    }

    private HttpRequest request(String method, String path, byte[] body, String contentType, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        return request.build();
    }

    private static Reply reply(HttpResponse<String> response) {
        String raw = response.body();
        JsonNode json;
        try {
            json = raw == null || raw.isBlank() ? JSON.missingNode() : JSON.readTree(raw);
        } catch (IOException notJson) {
            json = JSON.missingNode();
        }
        return new Reply(response.statusCode(), json, raw);
    }

    /** A JSON string literal (quotes and escapes) for building bodies by hand. */
    public static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
