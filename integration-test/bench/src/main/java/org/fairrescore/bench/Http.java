package org.fairrescore.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal JSON-over-HTTP client for one node on the loopback interface. */
final class Http {

    record Response(int status, String body) {}

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    Http(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Response send(String method, String path, String body, String contentType) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(10));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    Response json(String method, String path, String body) throws IOException {
        return send(method, path, body, "application/json");
    }

    /** Sends and fails on any status other than 2xx, quoting the response. */
    String ok(String method, String path, String body) throws IOException {
        Response r = json(method, path, body);
        if (r.status / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + r.status + ": " + truncate(r.body));
        }
        return r.body;
    }

    String ndjson(String path, String body) throws IOException {
        Response r = send("POST", path, body, "application/x-ndjson");
        if (r.status / 100 != 2) {
            throw new IOException("POST " + path + " answered " + r.status + ": " + truncate(r.body));
        }
        return r.body;
    }

    static String truncate(String s) {
        return s.length() > 2000 ? s.substring(0, 2000) + "…" : s;
    }
}
