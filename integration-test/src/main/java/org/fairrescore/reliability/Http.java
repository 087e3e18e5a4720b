package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * The JSON-over-HTTP client of every Java tool under integration-test/ (the demo, the evaluation report, the
 * reliability run, the document-vector benchmark) and of the REST smoke test, for one node: every call returns
 * status, parsed body and raw text.
 *
 * <p>Two ways to call it. {@link #call} and {@link #get} return whatever the node answered, errors included, and
 * throw the JDK's checked exceptions: for code that checks error answers itself (the reliability run, the smoke
 * test). {@link #expect} and {@link #expectNdjson} return only an answer with an accepted status and otherwise throw
 * the unchecked {@link Failure}, which names the node's error: for tools that stop at the first unexpected answer
 * (the demo, the evaluation report, the benchmark).
 */
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

        /**
         * The most telling part of an error answer, for messages: the first root cause's type and reason (else the
         * error's own, with what caused it), else the body's first 500 characters.
         */
        public String rootCause() {
            JsonNode error = json.path("error");
            if (error.isObject()) {
                JsonNode root = error.path("root_cause").path(0);
                JsonNode cause = root.isMissingNode() ? error : root;
                String text = cause.path("type").asText("") + ": " + cause.path("reason").asText("");
                if (root.isMissingNode() && error.path("caused_by").isMissingNode() == false) {
                    text += " (caused by " + error.path("caused_by").path("reason").asText("") + ")";
                }
                return text;
            }
            if (error.isTextual()) {
                return error.asText();
            }
            String body = raw == null ? "" : raw;
            return body.length() > 500 ? body.substring(0, 500) + "..." : body;
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

    /**
     * A call {@link #expect} gave up on: the node answered a status the caller did not accept ({@link #status()} is
     * that status, the message names the node's error), or no answer came back ({@link #status()} is -1).
     */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        Failure(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** The HTTP status the node answered, or -1 when no answer came back. */
        public int status() {
            return status;
        }
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private final String base;
    private final HttpClient client;
    private final Duration timeout;

    /** A client whose calls wait up to 120 s for an answer (5 s to connect). */
    public Http(String base) {
        this(base, DEFAULT_TIMEOUT);
    }

    /** A client whose calls wait up to {@code timeout} for an answer (5 s to connect). */
    public Http(String base, Duration timeout) {
        this.base = base.replaceAll("/+$", "");
        this.timeout = timeout;
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
        return call(method, path, body, contentType, timeout);
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
            timeout), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).thenApply(Http::reply);
    }

    /**
     * Sends a JSON body (a {@link String} as it is, anything else written by Jackson; {@code null} for none) and
     * returns the answer when its status is one of {@code accepted}, or any 2xx when none is given. Otherwise throws
     * {@link Failure} naming the node's error, or that no node answers.
     */
    public Reply expect(String method, String path, Object body, int... accepted) {
        return expect(method, path, body == null ? null : toJson(body), "application/json", accepted);
    }

    /** {@link #expect} for a POST of newline-delimited JSON ({@code _bulk}). */
    public Reply expectNdjson(String path, String ndjson, int... accepted) {
        return expect("POST", path, ndjson, "application/x-ndjson", accepted);
    }

    private Reply expect(String method, String path, String body, String contentType, int[] accepted) {
        Reply reply;
        try {
            reply = call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), contentType, timeout);
        } catch (ConnectException e) {
            throw new Failure("no OpenSearch node answers at " + base + " (" + method + " " + path + "): connection refused", -1, e);
        } catch (IOException e) {
            throw new Failure(method + " " + base + path + " failed: " + e, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(method + " " + base + path + " interrupted", -1, e);
        }
        int status = reply.status();
        boolean ok = accepted.length == 0 ? status / 100 == 2 : IntStream.of(accepted).anyMatch(s -> s == status);
        if (ok == false) {
            throw new Failure(method + " " + path + " answered HTTP " + status + ": " + reply.rootCause(), status, null);
        }
        return reply;
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

    /** A request body as JSON text: a {@link String} as it is (already JSON), anything else written by Jackson. */
    public static String toJson(Object body) {
        if (body instanceof String text) {
            return text;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request body as JSON", e);
        }
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
