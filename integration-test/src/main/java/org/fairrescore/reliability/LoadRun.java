package org.fairrescore.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load section ({@code --sections load}): {@code clients} threads on loopback for a warm-up and then
 * {@code seconds}, mixing rescored searches (stored vectors, and on-the-fly embedding), dynamic index-settings updates
 * and bulk ingest through the embedding pipeline. Zero errors allowed (a non-2xx answer, a failed shard, a bulk item
 * error); nothing indexed may be lost; heap used after a full GC at the end within 10 % of the start.
 *
 * <p>Warm-up: the start measurement is taken after {@code min(max(seconds / 4, 5), 30)} seconds of the same mix,
 * because the first minute of a fresh node fills things that are meant to stay: JIT-compiled code's metadata, the
 * query-vector cache (bounded by {@code fair_rescore.cache.query.size}) and the on-the-fly document cache, thread
 * pools that grow to their size, Lucene's segment readers of the freshly indexed documents. Measured from a cold
 * start those would read as a leak; after the warm-up, growth is what the load itself keeps.
 */
final class LoadRun {

    enum Op { SEARCH_STORED, SEARCH_ON_THE_FLY, SETTINGS, BULK }

    private static final int BULK_DOCS = 5;

    private LoadRun() {}

    static void run(Http http, Node node, Fixture fixture, Section section, int clients, int seconds, QueryTexts queries) throws Exception {
        section.figure("queries", queries.source());
        long docsBefore = fixture.count(Fixture.CATALOG);
        int warmup = Math.min(Math.max(seconds / 4, 5), 30);
        Log.line("  warm-up %d s, then %d s measured, %d clients, queries: %s", warmup, seconds, clients, queries.source());
        Stats warm = drive(http, clients, warmup, queries, 1000);
        long heapStart = node.heapUsedAfterGc();
        Stats load = drive(http, clients, seconds, queries, 2000);
        long heapEnd = node.heapUsedAfterGc();

        long errors = warm.errors.get() + load.errors.get();
        section.check("zero errors under load", errors == 0, errors + " errors, first: " + load.firstErrors + warm.firstErrors);
        section.check("every client request answered", load.total() > 0, "no request completed");
        long indexed = warm.indexed.get() + load.indexed.get();
        long docsAfter = fixture.count(Fixture.CATALOG);
        section.check("nothing ingested lost", docsAfter == docsBefore + indexed,
            "expected " + (docsBefore + indexed) + " documents, found " + docsAfter);
        double growth = (heapEnd - heapStart) / (double) heapStart;
        section.check("heap after GC within 10% of the start", growth <= 0.10,
            String.format(Locale.ROOT, "start %.1f MB, end %.1f MB (%+.1f %%)", heapStart / 1e6, heapEnd / 1e6, growth * 100));
        section.check("node green after the load", fixture.green(), "not green");
        // leave the catalogue as the next sections expect it
        http.call("PUT", "/" + Fixture.CATALOG + "/_settings", "{\"index.fair_rescore.max_per_shop\": 2, \"index.fair_rescore.semantic_weight\": 0.5}");

        section.figure("requests", "%d in %d s (%.1f/s)", load.total(), seconds, load.total() / (double) seconds);
        section.figure("errors", Long.toString(errors));
        for (Op op : Op.values()) {
            List<Long> l = load.latencies.get(op);
            if (!l.isEmpty()) {
                section.figure(op.name().toLowerCase(Locale.ROOT), "n=%d p50=%.0fms p99=%.0fms", l.size(), percentile(l, 0.50) / 1e6,
                    percentile(l, 0.99) / 1e6);
            }
        }
        section.figure("heap", "%.0f->%.0fMB (%+.1f%%)", heapStart / 1e6, heapEnd / 1e6, growth * 100);
        section.figure("ingested", Long.toString(indexed));
    }

    /** What one phase saw. */
    static final class Stats {
        final Map<Op, List<Long>> latencies = new EnumMap<>(Op.class);
        final AtomicLong errors = new AtomicLong();
        final AtomicLong indexed = new AtomicLong();
        final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();

        Stats() {
            for (Op op : Op.values()) {
                latencies.put(op, Collections.synchronizedList(new ArrayList<>()));
            }
        }

        long total() {
            return latencies.values().stream().mapToLong(List::size).sum();
        }

        void error(String what) {
            errors.incrementAndGet();
            if (firstErrors.size() < 5) {
                firstErrors.add(what);
            }
        }
    }

    private static Stats drive(Http http, int clients, int seconds, QueryTexts queries, int seedBase) throws InterruptedException {
        Stats stats = new Stats();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread.ofPlatform().name("load-" + c).daemon().start(() -> {
                Random random = new Random(seedBase + client);
                int n = 0;
                try {
                    while (System.nanoTime() < end) {
                        oneRequest(http, stats, random, queries.texts(), "load-" + seedBase + "-" + client + "-" + n++);
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        return stats;
    }

    private static void oneRequest(Http http, Stats stats, Random random, List<String> texts, String id) {
        int roll = random.nextInt(100);
        Op op = roll < 70 ? Op.SEARCH_STORED : roll < 80 ? Op.SEARCH_ON_THE_FLY : roll < 90 ? Op.SETTINGS : Op.BULK;
        String text = texts.get(random.nextInt(texts.size()));
        long t0 = System.nanoTime();
        try {
            Http.Reply reply = switch (op) {
                case SEARCH_STORED -> http.call("POST", "/" + Fixture.CATALOG + "/_search", Fixture.rescore(text, 50, 0.6, false));
                case SEARCH_ON_THE_FLY -> http.call("POST", "/" + Fixture.ON_THE_FLY + "/_search", Fixture.rescore(text, 10, 0.6, false));
                case SETTINGS -> http.call("PUT", "/" + Fixture.CATALOG + "/_settings", String.format(Locale.ROOT,
                    "{\"index.fair_rescore.max_per_shop\": %d, \"index.fair_rescore.semantic_weight\": %.2f}", 1 + random.nextInt(3),
                    0.3 + random.nextInt(5) / 10.0));
                case BULK -> http.call("POST", "/_bulk?pipeline=" + Fixture.PIPELINE, bulkBody(id, random), "application/x-ndjson");
            };
            long took = System.nanoTime() - t0;
            if (reply.status() / 100 != 2) {
                stats.error(op + " " + reply.brief());
            } else if (reply.json().path("_shards").path("failed").asInt(0) > 0) {
                stats.error(op + " shard failures: " + reply.brief());
            } else if (op == Op.BULK && reply.json().path("errors").asBoolean(true)) {
                stats.error(op + " item errors: " + reply.brief());
            } else {
                if (op == Op.BULK) {
                    stats.indexed.addAndGet(BULK_DOCS);
                }
                stats.latencies.get(op).add(took);
            }
        } catch (Exception e) {
            stats.error(op + " " + e);
        }
    }

    private static byte[] bulkBody(String id, Random random) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < BULK_DOCS; i++) {
            ndjson.append("{\"index\": {\"_index\": \"").append(Fixture.CATALOG).append("\", \"_id\": \"").append(id).append('-').append(i)
                .append("\"}}\n");
            try {
                ndjson.append(Http.JSON.writeValueAsString(Fixture.document(random.nextInt(10_000)))).append('\n');
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return ndjson.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Nearest-rank percentile of nanosecond latencies. */
    static double percentile(List<Long> values, double q) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
