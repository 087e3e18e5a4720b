package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The faults section ({@code --sections faults}): a corrupt and a missing model file in a custom model under
 * {@code fair_rescore.models_path}, the node's default model (the node starts green, the stats and the log name the
 * model id and the file, semantic searches that need it answer a clear error naming both, lexical ones work, ingest
 * fails the documents, and the catalogue, whose vectors are another model's, is refused rather than scored with the
 * wrong one), then a restart with the normal model that must keep the index settings and the stored vectors (the same
 * {@code _source} vector and the same cosine in explain), and an index without the shop field behind one alias with an
 * index that has it.
 */
final class Faults {

    static final String BROKEN = "rel-broken-model";
    private static final String PROBE_QUERY = "waterproof hiking boots";

    private Faults() {}

    static void run(Http http, Node node, Fixture fixture, Section section) throws Exception {
        JsonNode settingsBefore = fixture.settings(Fixture.CATALOG);
        String checksumBefore = fixture.checksum(Fixture.CATALOG);
        float[] vectorBefore = storedVector(http, "d1");
        double cosineBefore = cosineOf(http, "d1");
        section.check("stored vector readable before the restarts", vectorBefore != null && vectorBefore.length == 384,
            "d1 has no 384-component vector: " + java.util.Arrays.toString(vectorBefore));
        section.check("explain gives d1 a cosine before the restarts", !Double.isNaN(cosineBefore), "no cosine line in explain");

        Path models = node.configDir().resolve("fair-rescore/models");
        Path broken = models.resolve(BROKEN);
        try {
            installCopy(node.pluginDir().resolve("models/all-minilm-l6-v2-q"), broken);
            // corrupt: the ONNX file cut to 1 MiB (size and SHA-256 no longer match the manifest)
            byte[] onnx = Files.readAllBytes(broken.resolve("model.onnx"));
            Files.write(broken.resolve("model.onnx"), java.util.Arrays.copyOf(onnx, 1 << 20));
            brokenModel(http, node, fixture, section, "corrupt", broken.resolve("model.onnx"));
            // missing: the tokenizer gone
            Files.write(broken.resolve("model.onnx"), onnx);
            Files.delete(broken.resolve("tokenizer.json"));
            brokenModel(http, node, fixture, section, "missing", broken.resolve("tokenizer.json"));
        } finally {
            deleteTree(models.resolve(BROKEN));
        }

        Node.Result normal = node.restart();
        section.check("restart with the normal model", normal.ok(), normal.output());
        section.check("index settings survive the restarts", fixture.settings(Fixture.CATALOG).equals(settingsBefore),
            "before " + settingsBefore + " after " + fixture.settings(Fixture.CATALOG));
        section.check("documents survive the restarts", fixture.checksum(Fixture.CATALOG).equals(checksumBefore), "checksum changed");
        section.check("stored vector survives the restarts", java.util.Arrays.equals(storedVector(http, "d1"), vectorBefore),
            "d1's vector changed");
        double cosineAfter = cosineOf(http, "d1");
        section.check("explain gives d1 the same cosine after the restarts", Math.abs(cosineAfter - cosineBefore) < 1e-6,
            "cosine before " + cosineBefore + ", after " + cosineAfter);
        section.figure("cosine(d1)", "%.6f", cosineBefore);

        removedShopField(http, fixture, section);
    }

    /** The node started with {@code fair_rescore.model} = the broken copy. */
    private static void brokenModel(Http http, Node node, Fixture fixture, Section section, String kind, Path file) throws Exception {
        long mark = node.logMark();
        Node.Result start = node.restart("fair_rescore.model=" + BROKEN);
        if (!section.check(kind + " model: node starts and is green", start.ok() && fixture.green(), start.output())) {
            node.start();
            return;
        }
        JsonNode stats = fixture.pluginStats();
        String error = stats.path("model_error").asText("");
        section.check(kind + " model: stats name the model id and the file", error.contains(BROKEN) && error.contains(file.getFileName().toString()),
            "model_error [" + error + "], model " + stats.path("model"));
        String log = node.logSince(mark);
        section.check(kind + " model: the log names the model id and the file", log.contains(BROKEN) && log.contains(file.toString()),
            "no log line with " + BROKEN + " and " + file);

        // an index without a vector field embeds with the node's default model: the broken one
        long t0 = System.nanoTime();
        Http.Reply semantic = http.call("POST", "/" + Fixture.ON_THE_FLY + "/_search",
            Fixture.rescore(PROBE_QUERY, 20, 0.5, false).getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json", Duration.ofSeconds(60));
        double secs = (System.nanoTime() - t0) / 1e9;
        section.check(kind + " model: a semantic search answers a clear error naming model and file (no hang)",
            semantic.status() == 503 && semantic.reasonContains(BROKEN) && semantic.reasonContains(file.getFileName().toString()) && secs < 30,
            "got " + semantic.brief() + " after " + secs + " s");
        Http.Reply lexical = http.call("POST", "/" + Fixture.CATALOG + "/_search", Fixture.rescore(PROBE_QUERY, 20, 0.0, false));
        section.check(kind + " model: a search with semantic_weight 0 works", lexical.status() == 200
            && lexical.json().path("_shards").path("failed").asInt() == 0 && lexical.json().path("hits").path("hits").size() > 0, lexical.brief());
        // the catalogue's vectors are the usual default model's, which this node does not load: refused, never mixed
        Http.Reply otherModel = http.call("POST", "/" + Fixture.CATALOG + "/_search", Fixture.rescore(PROBE_QUERY, 20, 0.5, false));
        section.check(kind + " model: the index of a model this node does not load is refused naming it and fair_rescore.models",
            otherModel.status() == 400 && otherModel.reasonContains("[fair_rescore.models]"), otherModel.brief());

        // an index whose vector field is bound to the broken model (the node's default now): ingest fails naming it
        String bound = "rel-broken-model-index";
        http.call("DELETE", "/" + bound, null);
        Fixture.expectOk(http.call("PUT", "/" + bound, Fixture.catalogSettings("vec")), "create " + bound);
        Http.Reply ingest = http.call("POST", "/_bulk?refresh=true&pipeline=" + Fixture.PIPELINE,
            ("{\"index\": {\"_index\": \"" + bound + "\", \"_id\": \"broken-model-doc\"}}\n{\"title\": \"new boots\", \"shop\": \"greenfoot\"}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson");
        JsonNode item = ingest.json().path("items").path(0).path("index");
        section.check(kind + " model: ingest fails the document naming the model", ingest.status() == 200 && ingest.json().path("errors").asBoolean()
            && item.path("error").toString().contains(BROKEN), ingest.brief());
        section.check(kind + " model: nothing indexed without its vector", fixture.count(bound) == 0, "count " + fixture.count(bound));
        // its mapping names a model that goes away with the restart: the index goes first
        http.call("DELETE", "/" + bound, null);
        section.check(kind + " model: node green after the searches", fixture.green(), "not green");
    }

    /**
     * An index re-created without the shop field (a re-index that dropped it) behind one alias with the original: a
     * search over the alias must not lose either index's hits.
     */
    private static void removedShopField(Http http, Fixture fixture, Section section) throws Exception {
        String withShop = "rel-shop-v1", withoutShop = "rel-shop-v2", alias = "rel-shop";
        for (String index : new String[] {withShop, withoutShop}) {
            http.call("DELETE", "/" + index, null);
        }
        Fixture.expectOk(http.call("PUT", "/" + withShop, Fixture.catalogSettings("vec")), "create " + withShop);
        fixture.bulk(withShop, 0, 10, true);
        String noShop = Fixture.catalogSettings("vec").replace("\"shop\": {\"type\": \"keyword\"}, ", "")
            .replace("\"mappings\": {", "\"mappings\": {\"dynamic\": false, ");
        Fixture.expectOk(http.call("PUT", "/" + withoutShop, noShop), "create " + withoutShop);
        // the node has no reindex module (modules/ holds transport-netty4 only): the client re-sends the same sources
        fixture.bulk(withoutShop, 0, 10, true);
        section.check("the copy without the shop field holds every document", fixture.count(withoutShop) == 10, "count " + fixture.count(withoutShop));
        Fixture.expectOk(http.call("POST", "/_aliases", "{\"actions\": [{\"add\": {\"index\": \"" + withShop + "\", \"alias\": \"" + alias
            + "\"}}, {\"add\": {\"index\": \"" + withoutShop + "\", \"alias\": \"" + alias + "\"}}]}"), "alias");
        Http.Reply search = http.call("POST", "/" + alias + "/_search", Fixture.rescore(PROBE_QUERY, 20, 0.5, false));
        section.check("alias search over both answers 200", search.status() == 200, search.brief());
        section.check("alias search over both: no shard fails, hits of both indices", search.json().path("_shards").path("failed").asInt(-1) == 0
            && search.json().path("hits").path("total").path("value").asInt() == 20, search.brief());
        Http.Reply direct = http.call("POST", "/" + withoutShop + "/_search", Fixture.rescore(PROBE_QUERY, 20, 0.5, true));
        section.check("search of the index without the field answers 200", direct.status() == 200, direct.brief());
        section.check("its explain says the quota is not applied there and why",
            direct.json().path("hits").path("hits").path(0).path("_explanation").toString().contains("is not mapped in index [" + withoutShop + "]: no quota applied"),
            direct.brief());
        section.figure("unmapped shop", "alias %d (%d failed shards), direct %d", search.status(),
            search.json().path("_shards").path("failed").asInt(-1), direct.status());
        for (String index : new String[] {withShop, withoutShop}) {
            http.call("DELETE", "/" + index, null);
        }
    }

    private static float[] storedVector(Http http, String id) throws IOException, InterruptedException {
        return SourceVectors.of(http.get("/" + Fixture.CATALOG + "/_doc/" + id).json().path("_source").path("vec"));
    }

    /** The cosine line of {@code id}'s explanation for the probe query. */
    static double cosineOf(Http http, String id) throws IOException, InterruptedException {
        Http.Reply reply = http.call("POST", "/" + Fixture.CATALOG + "/_search", Fixture.rescore(PROBE_QUERY, 60, 0.5, true).replace("\"size\": 20", "\"size\": 60"));
        for (JsonNode hit : reply.json().path("hits").path("hits")) {
            if (id.equals(hit.path("_id").asText())) {
                for (JsonNode detail : hit.path("_explanation").path("details")) {
                    if (detail.path("description").asText().startsWith("cosine")) {
                        return detail.path("value").asDouble();
                    }
                }
            }
        }
        return Double.NaN;
    }

    /** A copy of a bundled model folder under another id (the manifest's id must equal its folder's name). */
    private static void installCopy(Path from, Path to) throws IOException {
        deleteTree(to);
        Files.createDirectories(to);
        for (String f : new String[] {"model.onnx", "tokenizer.json"}) {
            Files.copy(from.resolve(f), to.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode manifest = (ObjectNode) Http.JSON.readTree(from.resolve("model.json").toFile());
        manifest.put("id", BROKEN);
        Files.writeString(to.resolve("model.json"), Http.JSON.writeValueAsString(manifest));
        // the node user reads config/; the files are root's, world-readable, like the plugin's own
        try (Stream<Path> all = Files.walk(to.getParent().getParent())) {
            all.forEach(p -> p.toFile().setReadable(true, false));
        }
        try (Stream<Path> dirs = Files.walk(to.getParent().getParent())) {
            dirs.filter(Files::isDirectory).forEach(p -> p.toFile().setExecutable(true, false));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
