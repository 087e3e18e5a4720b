package org.fairrescore.demo;

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
import java.util.Arrays;

/** A minimal JSON-over-HTTP client for one OpenSearch node (JDK HTTP client + Jackson). */
public final class RestClient {

    /** A request the node answered with an unexpected status, or could not be sent. */
    public static final class RestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        RestException(String message, int status, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        /** HTTP status, or -1 when no response came back. */
        public int status() {
            return status;
        }
    }

    /** A response: status, parsed JSON body and the time the round trip took. */
    public record Response(int status, JsonNode body, long millis) {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    public RestClient(String baseUrl) {
        this(baseUrl, Duration.ofSeconds(120));
    }

    public RestClient(String baseUrl, Duration timeout) {
        String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(url);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
            .build();
    }

    public String baseUrl() {
        return base.toString();
    }

    public Response get(String path, int... ok) {
        return send("GET", path, null, null, ok);
    }

    public Response delete(String path, int... ok) {
        return send("DELETE", path, null, null, ok);
    }

    public Response putJson(String path, Object body, int... ok) {
        return send("PUT", path, toJson(body), "application/json", ok);
    }

    public Response postJson(String path, Object body, int... ok) {
        return send("POST", path, toJson(body), "application/json", ok);
    }

    public Response postNdjson(String path, String ndjson, int... ok) {
        return send("POST", path, ndjson, "application/x-ndjson", ok);
    }

    /**
     * Sends one request. Statuses in {@code ok} (default: 200 and 201) return normally; any other status throws
     * with the node's error reason.
     */
    public Response send(String method, String path, String body, String contentType, int... ok) {
        int[] accepted = ok.length == 0 ? new int[] {200, 201} : ok;
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
            .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new RestException("no OpenSearch node answers at " + base + " (" + method + " " + path
                + "): connection refused", -1, e);
        } catch (IOException e) {
            throw new RestException(method + " " + base + path + " failed: " + e, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RestException(method + " " + base + path + " interrupted", -1, e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        JsonNode json = parse(response.body());
        if (Arrays.stream(accepted).noneMatch(s -> s == response.statusCode())) {
            throw new RestException(method + " " + path + " answered HTTP " + response.statusCode() + ": "
                + reason(json, response.body()), response.statusCode(), null);
        }
        return new Response(response.statusCode(), json, millis);
    }

    static String toJson(Object body) {
        if (body instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise request body", e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** The most useful part of an OpenSearch error body: the root cause's type and reason. */
    static String reason(JsonNode json, String raw) {
        JsonNode error = json.path("error");
        if (error.isObject()) {
            JsonNode root = error.path("root_cause").path(0);
            JsonNode cause = root.isMissingNode() ? error : root;
            String text = cause.path("type").asText("") + ": " + cause.path("reason").asText("");
            if (!error.path("caused_by").isMissingNode() && root.isMissingNode()) {
                text += " (caused by " + error.path("caused_by").path("reason").asText("") + ")";
            }
            return text;
        }
        if (error.isTextual()) {
            return error.asText();
        }
        return raw.length() > 500 ? raw.substring(0, 500) + "…" : raw;
    }
}
