package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models section ({@code --sections models}): vectors bound to their model on a real node, through node restarts,
 * and a model change without downtime under a running search load.
 *
 * <ol>
 *   <li>The node runs MiniLM only; an index gets its vectors through the {@code fair_rescore_embed} processor (its
 *       vector field is bound to MiniLM, the default at creation).</li>
 *   <li>The node is restarted with bge-small-en only (the bug: the old index's MiniLM vectors were then scored
 *       against bge query vectors, silently). A search of that index must be refused (400) naming the model and
 *       {@code fair_rescore.models}; ingest into it must fail the document naming the model.</li>
 *   <li>Restarted with bge-small-en and {@code fair_rescore.models: MiniLM}: the index answers again, with MiniLM.</li>
 *   <li>The migration recipe under a running search load (every search with explain, so each hit says which model
 *       scored it): a second vector field bound to bge-small-en, {@code _update_by_query} through a pipeline that fills
 *       it, then {@code index.fair_rescore.vector_field} switched to it. Goals: 0 failed searches, every search scored
 *       by one model throughout, the searches after the switch by the new model from stored vectors.</li>
 * </ol>
 * The node is restarted with its default settings at the end.
 */
final class Models {

    static final String MINILM = "all-minilm-l6-v2-q";
    static final String BGE_EN = "bge-small-en-v15-q";
    private static final String INDEX = "rel-models";
    private static final String OLD_PIPELINE = "rel-models-minilm";
    private static final String BOTH_PIPELINE = "rel-models-both";
    private static final int DOCS = 120;
    /** The model named on an explanation's cosine line. */
    private static final Pattern MODEL = Pattern.compile("cosine\\(query, document\\)[^\"]*?, model \\[([^\\]]+)\\]");

    private Models() {}

    static void run(Http http, Node node, Fixture fixture, Section section, int clients, QueryTexts queries) throws Exception {
        try {
            minilmIndex(http, node, fixture, section);
            modelGone(http, node, fixture, section);
            Node.Result both = node.restart("fair_rescore.model=" + BGE_EN, "fair_rescore.models=" + MINILM);
            section.check("node with bge-small-en and MiniLM starts", both.ok() && fixture.green(), both.output());
            Http.Reply back = search(http, "running shoes");
            section.check("the MiniLM index answers again, scored by MiniLM", back.status() == 200 && models(back).equals(Set.of(MINILM)),
                back.brief() + " models " + models(back));
            migration(http, fixture, section, clients, queries);
        } finally {
            http.call("DELETE", "/" + INDEX, null);
            Node.Result normal = node.restart();
            section.check("restart with the default settings", normal.ok(), normal.output());
        }
    }

    /** The node runs MiniLM only; the index's vectors are MiniLM's. */
    private static void minilmIndex(Http http, Node node, Fixture fixture, Section section) throws Exception {
        Node.Result start = node.restart("fair_rescore.model=" + MINILM);
        if (!section.check("node with MiniLM only starts", start.ok() && fixture.green(), start.output())) {
            throw new IllegalStateException("cannot go on without the MiniLM node");
        }
        http.call("DELETE", "/" + INDEX, null);
        Fixture.expectOk(http.call("PUT", "/_ingest/pipeline/" + OLD_PIPELINE,
            "{\"processors\": [{\"fair_rescore_embed\": {\"field_map\": {\"title\": \"vec\"}}}]}"), "pipeline");
        Fixture.expectOk(http.call("PUT", "/" + INDEX, """
            {"settings": {"index": {"number_of_shards": 2, "number_of_replicas": 0, "default_pipeline": "%s",
                "fair_rescore": {"text_fields": ["title"], "vector_field": "vec"}}},
             "mappings": {"properties": {"title": {"type": "text"}, "shop": {"type": "keyword"}, "price": {"type": "integer"},
                                         "vec": {"type": "fair_rescore_vector"}}}}""".formatted(OLD_PIPELINE)), "create " + INDEX);
        fixture.bulk(INDEX, 0, DOCS, false); // through the index's default pipeline
        String bound = http.get("/" + INDEX + "/_mapping").json().path(INDEX).path("mappings").path("properties").path("vec").path("model").asText();
        section.check("a vector field created on the MiniLM node is bound to MiniLM (written into the mapping)", MINILM.equals(bound), "model [" + bound + "]");
        Http.Reply first = search(http, "running shoes");
        section.check("searches score MiniLM vectors with MiniLM", first.status() == 200 && models(first).equals(Set.of(MINILM)),
            first.brief() + " models " + models(first));
    }

    /** The node restarted with another model of the same dimensions, the index's model gone: refused, never mixed. */
    private static void modelGone(Http http, Node node, Fixture fixture, Section section) throws Exception {
        Node.Result start = node.restart("fair_rescore.model=" + BGE_EN);
        section.check("node with bge-small-en only starts, green with the MiniLM index", start.ok() && fixture.green(), start.output());
        Http.Reply refused = search(http, "running shoes");
        section.check("a search of the MiniLM index is refused (400) naming the model and fair_rescore.models, not scored with bge",
            refused.status() == 400 && refused.reasonContains("needs model [" + MINILM + "]") && refused.reasonContains("[fair_rescore.models]"),
            refused.brief());
        Http.Reply ingest = http.call("PUT", "/" + INDEX + "/_doc/gone?refresh=true", "{\"title\": \"blue sandals\", \"shop\": \"sockery\"}");
        section.check("ingest into it fails the document naming the model", ingest.status() == 400 && ingest.reasonContains("[" + MINILM + "] is not loaded"),
            ingest.brief());
        Http.Reply lexical = http.call("POST", "/" + INDEX + "/_search", Fixture.rescore("running shoes", 20, 0.0, false));
        section.check("a search with semantic_weight 0 still answers", lexical.status() == 200, lexical.brief());
    }

    /** One search outcome of the load: its status and the models its hits were scored with. */
    private record Outcome(long at, int status, Set<String> models, String detail) {}

    private static void migration(Http http, Fixture fixture, Section section, int clients, QueryTexts queries) throws Exception {
        long docsBefore = fixture.count(INDEX);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong switchedAt = new AtomicLong(Long.MAX_VALUE);
        List<Thread> load = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                int i = client;
                while (stop.get() == false) {
                    String text = queries.texts().get(i++ % queries.texts().size());
                    try {
                        Http.Reply reply = search(http, text);
                        outcomes.add(new Outcome(System.nanoTime(), reply.status(), models(reply), reply.status() == 200 ? "" : reply.brief()));
                    } catch (Exception e) {
                        outcomes.add(new Outcome(System.nanoTime(), -1, Set.of(), e.toString()));
                    }
                }
            }, "migration-load-" + c);
            t.start();
            load.add(t);
        }
        Map<String, Double> seconds = new TreeMap<>();
        try {
            Thread.sleep(2000);
            long t0 = System.nanoTime();
            Fixture.expectOk(http.call("PUT", "/" + INDEX + "/_mapping",
                "{\"properties\": {\"vec_bge\": {\"type\": \"fair_rescore_vector\", \"model\": \"" + BGE_EN + "\"}}}"), "add the new vector field");
            Fixture.expectOk(http.call("PUT", "/_ingest/pipeline/" + BOTH_PIPELINE, """
                {"description": "both vector fields while the index moves to bge-small-en",
                 "processors": [{"fair_rescore_embed": {"field_map": {"title": "vec"}}},
                                {"fair_rescore_embed": {"field_map": {"title": "vec_bge"}}}]}"""), "pipeline for both fields");
            Fixture.expectOk(http.call("PUT", "/" + INDEX + "/_settings", "{\"index.default_pipeline\": \"" + BOTH_PIPELINE + "\"}"),
                "new documents get both vectors");
            long t1 = System.nanoTime();
            Http.Reply update = http.call("POST", "/" + INDEX + "/_update_by_query?pipeline=" + BOTH_PIPELINE + "&refresh=true&wait_for_completion=true", "");
            long t2 = System.nanoTime();
            section.check("_update_by_query through the pipeline fills the new field", update.status() == 200
                && update.json().path("failures").isEmpty() && update.json().path("updated").asLong() == docsBefore, update.brief());
            Fixture.expectOk(http.call("PUT", "/" + INDEX + "/_settings", "{\"index.fair_rescore.vector_field\": \"vec_bge\"}"), "switch the vector field");
            switchedAt.set(System.nanoTime());
            seconds.put("prepare", (t1 - t0) / 1e9);
            seconds.put("update_by_query", (t2 - t1) / 1e9);
            Thread.sleep(3000);
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(60_000);
            }
        }

        List<Outcome> all = new ArrayList<>(outcomes);
        long failed = all.stream().filter(o -> o.status() != 200).count();
        long mixed = all.stream().filter(o -> o.status() == 200 && o.models().size() != 1).count();
        long before = all.stream().filter(o -> o.models().equals(Set.of(MINILM))).count();
        long after = all.stream().filter(o -> o.models().equals(Set.of(BGE_EN))).count();
        long lateOld = all.stream().filter(o -> o.at() > switchedAt.get() + 1_000_000_000L && o.models().contains(MINILM)).count();
        section.check("0 failed searches during the model change", failed == 0,
            failed + " failed, first: " + all.stream().filter(o -> o.status() != 200).map(Outcome::detail).findFirst().orElse(""));
        section.check("every search scored by one model throughout", mixed == 0, mixed + " searches named several models or none");
        section.check("searches after the switch use the new model", after > 0 && lateOld == 0,
            after + " searches with " + BGE_EN + ", " + lateOld + " with " + MINILM + " more than 1 s after the switch");
        Http.Reply stored = search(http, "waterproof hiking boots");
        section.check("after the switch every window hit is scored from its stored bge vector",
            stored.status() == 200 && stored.raw().contains("with the vector stored in [vec_bge], model [" + BGE_EN + "]")
                && stored.raw().contains("embedded on the fly") == false, stored.brief());
        section.check("no document lost or added by the change", fixture.count(INDEX) == docsBefore, "count " + fixture.count(INDEX) + ", expected " + docsBefore);
        section.figure("migration", "%d searches (%d with MiniLM, %d with bge-small-en), %d failed, %d mixed; update_by_query %.1f s",
            all.size(), before, after, failed, mixed, seconds.getOrDefault("update_by_query", Double.NaN));
    }

    /** A rescored search of the index with explain on every hit. */
    private static Http.Reply search(Http http, String text) throws Exception {
        return http.call("POST", "/" + INDEX + "/_search", """
            {"size": 10, "explain": true, "query": {"bool": {"must": [{"match_all": {}}], "should": [{"match": {"title": %s}}]}},
             "rescore": {"window_size": 30, "fair_semantic": {"query_text": %s}}}""".formatted(Http.quote(text), Http.quote(text)));
    }

    /** The models named by the cosine lines of a search's explanations. */
    static Set<String> models(Http.Reply reply) {
        Set<String> models = new TreeSet<>();
        for (JsonNode hit : reply.json().path("hits").path("hits")) {
            Matcher m = MODEL.matcher(hit.path("_explanation").toString());
            while (m.find()) {
                models.add(m.group(1));
            }
        }
        return models;
    }
}
