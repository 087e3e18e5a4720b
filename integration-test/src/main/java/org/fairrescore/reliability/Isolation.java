package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The isolation section ({@code --sections isolation}): inference isolation on the real node. With both vector caches
 * off (so every search really embeds): a 1 ms {@code fair_rescore.inference.timeout} (200, explain says timed out,
 * {@code isolation.timeouts} grows), cancelling a slow on-the-fly search through the tasks API (it ends at once,
 * {@code isolation.cancelled} grows, inference stops), a 1kb {@code fair_rescore.breaker.limit} (429 naming the
 * breaker, then 200 with the default), and last a node restarted with a one-thread, one-slot inference pool under
 * concurrent searches (some 429, no 5xx). The last check leaves the node with that pool: the security section restarts
 * it anyway.
 */
final class Isolation {

    static final String SLOW = "rel-slow";
    private static final int SLOW_DOCS = 300;

    private Isolation() {}

    static void run(Http http, Node node, Fixture fixture, Section section) throws Exception {
        transientSettings(http, "\"fair_rescore.cache.query.size\": \"0b\", \"fair_rescore.cache.documents.size\": \"0b\", "
            + "\"fair_rescore.max_on_the_fly_docs\": " + SLOW_DOCS);
        try {
            timeout(http, fixture, section);
            slowIndex(http);
            cancellation(http, fixture, section);
            breaker(http, fixture, section);
        } finally {
            transientSettings(http, "\"fair_rescore.cache.query.size\": null, \"fair_rescore.cache.documents.size\": null, "
                + "\"fair_rescore.max_on_the_fly_docs\": null, \"fair_rescore.inference.timeout\": null, \"fair_rescore.breaker.limit\": null");
        }
        fullQueue(http, node, fixture, section);
        http.call("DELETE", "/" + SLOW, null);
    }

    private static void timeout(Http http, Fixture fixture, Section section) throws Exception {
        long before = isolation(fixture, "timeouts");
        Http.Reply set = http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.inference.timeout\": \"1ms\"}}");
        section.check("timeout 1ms accepted", set.status() == 200, set.brief());
        Http.Reply r = http.call("POST", "/" + Fixture.ON_THE_FLY + "/_search", Fixture.rescore("timeout probe: trail running shoes", 50, 0.6, true));
        section.check("timed-out search answers 200 without failed shards", r.status() == 200 && r.json().path("_shards").path("failed").asInt() == 0,
            r.brief());
        int said = 0, hits = 0;
        for (JsonNode hit : r.json().path("hits").path("hits")) {
            hits++;
            if (hit.path("_explanation").toString().contains("inference timed out")) {
                said++;
            }
        }
        section.check("explain of every window hit says inference timed out", hits > 0 && said == hits, said + " of " + hits + " hits say it");
        long after = isolation(fixture, "timeouts");
        section.check("stats isolation.timeouts grows", after > before, "before " + before + ", after " + after);
        http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.inference.timeout\": null}}");
        Http.Reply normal = http.call("POST", "/" + Fixture.ON_THE_FLY + "/_search", Fixture.rescore("timeout probe: trail running shoes", 50, 0.6, true));
        section.check("with the default timeout the same search has cosines", normal.status() == 200
            && normal.json().path("hits").path("hits").path(0).path("_explanation").toString().contains("cosine"), normal.brief());
        section.figure("timeouts", "%d->%d", before, after);
    }

    /** {@value #SLOW_DOCS} documents with long titles and no vectors: a window of all of them embeds for seconds. */
    private static void slowIndex(Http http) throws Exception {
        http.call("DELETE", "/" + SLOW, null);
        Fixture.expectOk(http.call("PUT", "/" + SLOW, Fixture.catalogSettings("")), "create " + SLOW);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < SLOW_DOCS; i++) {
            StringBuilder title = new StringBuilder();
            for (int w = 0; w < 12; w++) {
                title.append(Fixture.document(i * 13 + w).get("title")).append(' ');
            }
            ndjson.append("{\"index\": {\"_index\": \"").append(SLOW).append("\", \"_id\": \"s").append(i).append("\"}}\n");
            ndjson.append(Http.JSON.writeValueAsString(java.util.Map.of("title", title.toString().strip(), "shop", Fixture.SHOPS[i % 6]))).append('\n');
        }
        Http.Reply bulk = http.call("POST", "/_bulk?refresh=true", ndjson.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        Fixture.expectOk(bulk, "bulk into " + SLOW);
    }

    private static String slowSearch(String text) {
        return Fixture.rescore(text, SLOW_DOCS, 0.6, false);
    }

    private static void cancellation(Http http, Fixture fixture, Section section) throws Exception {
        http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.inference.timeout\": \"120s\"}}");
        long uncancelledStart = System.nanoTime();
        Http.Reply full = http.call("POST", "/" + SLOW + "/_search", slowSearch("cancel baseline: leather boots"));
        double fullSecs = (System.nanoTime() - uncancelledStart) / 1e9;
        section.check("slow search runs to the end when left alone", full.status() == 200, full.brief());

        long cancelledBefore = isolation(fixture, "cancelled");
        long t0 = System.nanoTime();
        CompletableFuture<Http.Reply> running = http.callAsync("POST", "/" + SLOW + "/_search", slowSearch("cancel me: waterproof sandals"));
        String task = null;
        for (int i = 0; i < 100 && task == null && !running.isDone(); i++) {
            Thread.sleep(50);
            Http.Reply tasks = http.get("/_tasks?actions=indices:data/read/search*&detailed=true");
            for (JsonNode n : tasks.json().path("nodes")) {
                for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) n.path("tasks")::fields) {
                    if (e.getValue().path("action").asText().equals("indices:data/read/search")) {
                        task = e.getKey();
                    }
                }
            }
        }
        if (!section.check("the slow search shows in _tasks", task != null, "no search task found (finished after "
            + (System.nanoTime() - t0) / 1e9 + " s)")) {
            running.join();
            return;
        }
        Thread.sleep(300); // let it reach the rescore and its inference
        long cancelAt = System.nanoTime();
        Http.Reply cancel = http.call("POST", "/_tasks/" + task + "/_cancel", null);
        section.check("cancel accepted", cancel.status() == 200, cancel.brief());
        Http.Reply ended = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
        double afterCancel = (System.nanoTime() - cancelAt) / 1e9;
        section.check("the cancelled search ends within 5 s of the cancel", afterCancel < 5.0 && afterCancel < fullSecs,
            String.format(Locale.ROOT, "ended %.2f s after the cancel (uncancelled run %.2f s): %s", afterCancel, fullSecs, ended.brief()));
        section.check("the cancelled search is not a 5xx", ended.status() < 500 || ended.reasonContains("cancel"), ended.brief());
        long batches1 = fixture.pluginStats().path("inference").path("batches").asLong();
        Thread.sleep(1500);
        long batches2 = fixture.pluginStats().path("inference").path("batches").asLong();
        section.check("inference stops after the cancel", batches2 == batches1, "batches went from " + batches1 + " to " + batches2);
        long cancelledAfter = isolation(fixture, "cancelled");
        section.check("stats isolation.cancelled grows", cancelledAfter > cancelledBefore, "before " + cancelledBefore + ", after " + cancelledAfter);
        section.figure("cancel", "ended %.2fs after cancel (full run %.1fs), status %d", afterCancel, fullSecs, ended.status());
        http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.inference.timeout\": null}}");
    }

    private static void breaker(Http http, Fixture fixture, Section section) throws Exception {
        Http.Reply breakers = http.get("/_nodes/_local/stats/breaker");
        section.check("breaker fair_rescore in _nodes/stats/breaker",
            breakers.json().path("nodes").elements().next().path("breakers").has("fair_rescore"), breakers.brief());
        long trips = isolation(fixture, "breaker_trips");
        Http.Reply set = http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.breaker.limit\": \"1kb\"}}");
        section.check("breaker limit 1kb accepted", set.status() == 200, set.brief());
        Http.Reply tripped = http.call("POST", "/" + SLOW + "/_search", Fixture.rescore("breaker probe: socks", 500, 0.5, false));
        section.check("a large window over the limit answers 429 naming the breaker", tripped.status() == 429
            && tripped.raw().contains("circuit_breaking_exception") && tripped.reasonContains("fair_rescore"), tripped.brief());
        section.check("stats isolation.breaker_trips grows", isolation(fixture, "breaker_trips") > trips, "no trip counted");
        http.call("PUT", "/_cluster/settings", "{\"transient\": {\"fair_rescore.breaker.limit\": null}}");
        Http.Reply ok = http.call("POST", "/" + SLOW + "/_search", Fixture.rescore("breaker probe: socks", 50, 0.5, false));
        section.check("with the default limit the search answers 200", ok.status() == 200 && ok.json().path("_shards").path("failed").asInt() == 0,
            ok.brief());
        section.figure("breaker", "1kb -> %d, default -> %d", tripped.status(), ok.status());
    }

    private static void fullQueue(Http http, Node node, Fixture fixture, Section section) throws Exception {
        Node.Result restart = node.restart("thread_pool.fair_rescore_inference.size=1", "thread_pool.fair_rescore_inference.queue_size=1");
        if (!section.check("restart with a 1-thread, 1-slot inference pool", restart.ok(), restart.output())) {
            return;
        }
        transientSettings(http, "\"fair_rescore.cache.query.size\": \"0b\", \"fair_rescore.cache.documents.size\": \"0b\"");
        long rejectedBefore = isolation(fixture, "rejected");
        List<CompletableFuture<Http.Reply>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(http.callAsync("POST", "/" + Fixture.ON_THE_FLY + "/_search", Fixture.rescore("queue probe " + i + " running shoes", 50, 0.6, false)));
        }
        int ok = 0, rejected = 0, server = 0, other = 0;
        for (CompletableFuture<Http.Reply> c : calls) {
            Http.Reply r = c.get(120, java.util.concurrent.TimeUnit.SECONDS);
            if (r.status() == 200 && r.json().path("_shards").path("failed").asInt() == 0) {
                ok++;
            } else if (r.status() == 429) {
                rejected++;
            } else if (r.status() >= 500) {
                server++;
            } else {
                other++;
            }
        }
        transientSettings(http, "\"fair_rescore.cache.query.size\": null, \"fair_rescore.cache.documents.size\": null");
        section.check("a full inference queue answers 429 to some", rejected > 0, "no 429 among 16 concurrent searches (" + ok + " ok)");
        section.check("some searches still get through", ok > 0, "none answered 200");
        section.check("no 5xx and nothing else under a full queue", server == 0 && other == 0, server + " 5xx, " + other + " other");
        section.check("stats isolation.rejected grows", isolation(fixture, "rejected") > rejectedBefore, "no rejection counted");
        section.check("node green after the rejections", fixture.green(), "not green");
        section.figure("queue 1x1, 16 searches", "%d ok, %d x 429, %d x 5xx", ok, rejected, server);
    }

    private static void transientSettings(Http http, String settings) throws Exception {
        Fixture.expectOk(http.call("PUT", "/_cluster/settings", "{\"transient\": {" + settings + "}}"), "cluster settings " + settings);
    }

    private static long isolation(Fixture fixture, String counter) throws Exception {
        return fixture.pluginStats().path("isolation").path(counter).asLong(-1);
    }
}
