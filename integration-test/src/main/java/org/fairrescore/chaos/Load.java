package org.fairrescore.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.fairrescore.chaos.LoadStats.Op;
import org.fairrescore.eval.metrics.Feasibility;
import org.fairrescore.eval.metrics.Quota;
import org.fairrescore.eval.metrics.Slot;
import org.fairrescore.reliability.Http;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The mixed load of the chaos run: {@code clients} threads, client c talking to node {@code c mod nodes} first, each
 * request one of
 * <ul>
 *   <li>45 % a rescored search of {@link ChaosIndex#LIVE} (size 10, window 50),</li>
 *   <li>30 % the same through the {@code fair_rescore} search pipeline (size 30 = the merged window), its answer
 *       checked against the index's cap,</li>
 *   <li>15 % a bulk request of 5 new documents through the embedding processor (ids never reused, so a retry is
 *       idempotent),</li>
 *   <li>10 % an index-settings update ({@code semantic_weight}; the quota settings stay as they are).</li>
 * </ul>
 * A connection error (refused, reset, closed: the node is down or going down) sends the same request to the next node
 * and marks the node dead for a second, as a client with several hosts does; a request counts as failed when no node
 * could be reached, when it timed out, answered non-2xx, or a search answered with failed shards (partial results).
 * Bulk items count as acknowledged only when their own status is 200/201.
 */
final class Load {

    private static final int BULK_DOCS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long DEAD_NANOS = 1_000_000_000L;

    private final ClusterControl cluster;
    private final List<String> texts;
    private final int clients;
    private final LoadStats stats = new LoadStats();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray deadUntil;
    private final Quota cap = new Quota.Cap(ChaosIndex.MAX_PER_SHOP, ChaosIndex.CAP_WINDOW);
    private final List<Thread> threads = new ArrayList<>();
    private volatile Phase phase = Phase.BEFORE;
    private volatile boolean stop;

    Load(ClusterControl cluster, List<String> texts, int clients) {
        this.cluster = cluster;
        this.texts = texts;
        this.clients = clients;
        this.deadUntil = new AtomicLongArray(cluster.size() + 1);
    }

    LoadStats stats() {
        return stats;
    }

    /** Ids of every document whose bulk item the cluster acknowledged. */
    Set<String> acked() {
        return acked;
    }

    void phase(Phase next) {
        phase = next;
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = Thread.ofPlatform().name("chaos-load-" + c).daemon().start(() -> {
                Random random = new Random(4242 + client);
                int n = 0;
                while (!stop) {
                    oneRequest(client, random, n++);
                }
            });
            threads.add(t);
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(TIMEOUT.toMillis() * 3);
        }
    }

    /** What one attempt on one node brought back. */
    private record Answer(Http.Reply reply, boolean failedOver, String unreachable) {}

    private void oneRequest(int client, Random random, int n) {
        int roll = random.nextInt(100);
        Op op = roll < 45 ? Op.SEARCH : roll < 75 ? Op.SEARCH_PIPELINE : roll < 90 ? Op.BULK : Op.SETTINGS;
        String text = texts.get(random.nextInt(texts.size()));
        String method;
        String path;
        byte[] body;
        String contentType = "application/json";
        List<String> ids = List.of();
        switch (op) {
            case SEARCH -> {
                method = "POST";
                path = "/" + ChaosIndex.LIVE + "/_search";
                body = ChaosIndex.search(text, 10, false).getBytes(StandardCharsets.UTF_8);
            }
            case SEARCH_PIPELINE -> {
                method = "POST";
                path = "/" + ChaosIndex.LIVE + "/_search?search_pipeline=" + ChaosIndex.SEARCH_PIPELINE;
                body = ChaosIndex.search(text, ChaosIndex.PIPELINE_SIZE, false).getBytes(StandardCharsets.UTF_8);
            }
            case BULK -> {
                method = "POST";
                path = "/_bulk?pipeline=" + ChaosIndex.EMBED_PIPELINE;
                contentType = "application/x-ndjson";
                ids = new ArrayList<>();
                StringBuilder ndjson = new StringBuilder();
                for (int i = 0; i < BULK_DOCS; i++) {
                    String id = "c" + client + "-" + n + "-" + i;
                    ids.add(id);
                    ndjson.append("{\"index\": {\"_index\": \"").append(ChaosIndex.LIVE).append("\", \"_id\": \"").append(id).append("\"}}\n");
                    try {
                        ndjson.append(Http.JSON.writeValueAsString(ChaosIndex.document(random.nextInt(100_000)))).append('\n');
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                body = ndjson.toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                method = "PUT";
                path = "/" + ChaosIndex.LIVE + "/_settings";
                body = String.format(Locale.ROOT, "{\"index.fair_rescore.semantic_weight\": %.2f}", 0.4 + random.nextInt(5) / 10.0)
                    .getBytes(StandardCharsets.UTF_8);
            }
        }
        Phase at = phase;
        long t0 = System.nanoTime();
        Answer answer = send(client, method, path, body, contentType);
        long took = System.nanoTime() - t0;
        if (answer.unreachable() != null) {
            stats.failed(at, op, answer.unreachable(), answer.unreachable());
            return;
        }
        Http.Reply reply = answer.reply();
        if (reply.status() / 100 != 2) {
            stats.failed(at, op, "HTTP " + reply.status() + " " + errorType(reply), reply.brief());
            return;
        }
        switch (op) {
            case SEARCH, SEARCH_PIPELINE -> {
                int failedShards = reply.json().path("_shards").path("failed").asInt(0);
                if (failedShards > 0) {
                    JsonNode first = reply.json().path("_shards").path("failures").path(0).path("reason");
                    stats.failed(at, op, "partial: " + first.path("type").asText("?"), reply.brief());
                    return;
                }
                if (op == Op.SEARCH_PIPELINE) {
                    checkQuota(at, reply);
                }
            }
            case BULK -> {
                JsonNode items = reply.json().path("items");
                for (int i = 0; i < items.size(); i++) {
                    JsonNode item = items.get(i).path("index");
                    int status = item.path("status").asInt();
                    if (status == 200 || status == 201) {
                        acked.add(item.path("_id").asText(ids.get(i)));
                        stats.itemsAcked.get(at).increment();
                    } else {
                        stats.itemErrors.computeIfAbsent(status + " " + item.path("error").path("type").asText("?"),
                            k -> new java.util.concurrent.atomic.LongAdder()).increment();
                    }
                }
                if (reply.json().path("errors").asBoolean(false)) {
                    stats.failed(at, op, "bulk item errors", reply.brief());
                    return;
                }
            }
            default -> {
            }
        }
        stats.ok(at, op, took, answer.failedOver());
    }

    /** Sends to the client's node, and to the next ones after a connection error. */
    private Answer send(int client, String method, String path, byte[] body, String contentType) {
        int nodes = cluster.size();
        int first = client % nodes;
        boolean failedOver = false;
        String lastError = null;
        for (int k = 0; k < nodes; k++) {
            int node = (first + k) % nodes + 1;
            if (k < nodes - 1 && System.nanoTime() < deadUntil.get(node) && anyAlive(node)) {
                failedOver = true;
                continue; // known dead a moment ago: the next node
            }
            try {
                Http.Reply reply = cluster.http(node).call(method, path, body, contentType, TIMEOUT);
                return new Answer(reply, failedOver, null);
            } catch (HttpConnectTimeoutException e) {
                lastError = "connect timeout";
            } catch (HttpTimeoutException e) {
                return new Answer(null, failedOver, "timeout after " + TIMEOUT.toSeconds() + " s");
            } catch (IOException e) {
                lastError = "connection error";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(null, failedOver, "interrupted");
            }
            deadUntil.set(node, System.nanoTime() + DEAD_NANOS);
            failedOver = true;
        }
        return new Answer(null, failedOver, "no node reachable (" + lastError + ")");
    }

    /** Whether some node other than this one is not marked dead (else there is no point in skipping this one). */
    private boolean anyAlive(int skip) {
        long now = System.nanoTime();
        for (int n = 1; n <= cluster.size(); n++) {
            if (n != skip && now >= deadUntil.get(n)) {
                return true;
            }
        }
        return false;
    }

    /** The merged window of a pipeline answer: does it keep the cap wherever an arrangement of its hits could? */
    private void checkQuota(Phase at, Http.Reply reply) {
        List<Slot> window = new ArrayList<>();
        for (JsonNode hit : reply.json().path("hits").path("hits")) {
            if (hit.path("_score").asDouble() < 1.0) {
                break; // below the rescore window: not reordered by anyone
            }
            String shop = hit.path("_source").path("shop").asText("");
            window.add(new Slot(shop.isEmpty() ? "no-shop-" + hit.path("_id").asText() : shop, false));
        }
        LoadStats.QuotaTally tally = stats.quota.get(at);
        tally.responses.increment();
        if (cap.holds(window, window.size())) {
            // the answer is its own witness: an arrangement that meets the cap exists, and this is one
            tally.feasible.increment();
            tally.feasibleHeld.increment();
            return;
        }
        if (overfull(window)) {
            tally.infeasible.increment(); // a shop has more hits than the cap lets any arrangement of this length hold
            return;
        }
        switch (Feasibility.check(cap, window, window.size())) {
            case FEASIBLE -> {
                tally.feasible.increment();
                if (stats.quotaViolations.size() < 5) {
                    stats.quotaViolations.add(at.label + ": " + shops(window));
                }
            }
            case INFEASIBLE -> tally.infeasible.increment();
            case UNDETERMINED -> tally.undetermined.increment();
        }
    }

    /**
     * Whether some shop has more hits than any arrangement of the window can place: in L positions at most
     * {@code floor(L / W) * N + min(N, L mod W)} hits of one shop keep N per W consecutive (each full block of W
     * holds N at most, the rest min(N, r)). A quick proof of infeasibility where the exact search would run long.
     */
    static boolean overfull(List<Slot> window) {
        int length = window.size();
        int most = (length / ChaosIndex.CAP_WINDOW) * ChaosIndex.MAX_PER_SHOP + Math.min(ChaosIndex.MAX_PER_SHOP, length % ChaosIndex.CAP_WINDOW);
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (Slot s : window) {
            if (counts.merge(s.shop(), 1, Integer::sum) > most) {
                return true;
            }
        }
        return false;
    }

    private static String shops(List<Slot> window) {
        StringBuilder out = new StringBuilder();
        for (Slot s : window) {
            out.append(out.length() == 0 ? "" : " ").append(s.shop());
        }
        return out.toString();
    }

    static String errorType(Http.Reply reply) {
        JsonNode error = reply.json().path("error");
        String type = error.path("type").asText("");
        String root = error.path("root_cause").path(0).path("type").asText("");
        if (!root.isEmpty() && !root.equals(type)) {
            return type + "/" + root;
        }
        return type.isEmpty() ? "?" : type;
    }
}
