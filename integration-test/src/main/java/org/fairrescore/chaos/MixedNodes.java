package org.fairrescore.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.fairrescore.reliability.Http;
import org.fairrescore.reliability.Log;
import org.fairrescore.reliability.Node;
import org.fairrescore.reliability.Section;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Nodes that differ from the rest of the cluster, on the real cluster: node 3 restarted
 * <ol>
 *   <li><b>without MiniLM</b> ({@code -Efair_rescore.models=bge-small-en-v15-q}) while {@link ChaosIndex#FIXED}'s vector
 *       field is bound to MiniLM. As the coordinator it needs no model (it names the indices' model in the clause and
 *       embeds nothing). As the holder of shard copies it refuses them with a 400 naming the node, the model and
 *       {@code fair_rescore.models}; OpenSearch then asks the shard's other copy, so searches answer scored by MiniLM
 *       with the same top 10 as before, and a search that can only use node 3's copies ({@code preference=_only_local})
 *       gets that 400. Ingest through node 3 (the pipeline runs on the node the document was sent to) fails the
 *       document with a 400 naming the model, the node and the setting; nothing is indexed without its vector.</li>
 *   <li><b>without the plugin</b> ({@code cluster.sh --without-plugin}): the cluster manager refuses its join with a
 *       message naming the node and the missing plugin; the cluster goes on with two nodes and answers as before. Node
 *       3 itself is in no cluster: it answers no search with hits ({@code unknown field [fair_semantic]} for a rescored
 *       one, which it cannot parse, a 503 without a cluster manager for a plain one), instead of joining, failing its
 *       shard copies over and over, and answering ingest with 500s.</li>
 *   <li>as before: it joins, the cluster is green with 3 nodes and gives the same top 10.</li>
 * </ol>
 */
final class MixedNodes {

    static final int ODD = 3;
    private static final String BGE_EN = "bge-small-en-v15-q";

    private final ClusterControl cluster;
    private final List<String> texts;
    private final Section section;
    private final List<String> lines = new ArrayList<>();

    MixedNodes(ClusterControl cluster, List<String> texts, Section section) {
        this.cluster = cluster;
        this.texts = texts;
        this.section = section;
    }

    private void note(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        lines.add(line);
        Log.line("  %s", line);
    }

    void run() throws Exception {
        Log.line("== mixed: node %d without MiniLM, then without the plugin, then as before", ODD);
        Http one = cluster.http(1);
        if (one.get("/" + ChaosIndex.FIXED).status() != 200 || one.get("/" + ChaosIndex.LIVE).status() != 200) {
            new ChaosIndex(one).create(300, 300);
        }
        FixedQueries fixed = new FixedQueries(cluster, texts, 5);
        Map<String, List<String>> reference = fixed.run();
        try {
            withoutMinilm(fixed, reference);
            withoutPlugin(fixed, reference);
        } finally {
            back(fixed, reference);
        }
    }

    private void withoutMinilm(FixedQueries fixed, Map<String, List<String>> reference) throws Exception {
        Node.Result restarted = cluster.restart(ODD, "-Efair_rescore.models=" + BGE_EN);
        note("1. %s restarted with -Efair_rescore.models=%s (no MiniLM): %s", cluster.name(ODD), BGE_EN, restarted.ok() ? "green" : "FAILED");
        if (!section.check("a node without MiniLM joins and the cluster is green", restarted.ok(), restarted.output())) {
            return;
        }
        List<String> models = new ArrayList<>();
        cluster.pluginStats(ODD).forEach(n -> {
            if (n.path("name").asText().equals(cluster.name(ODD))) {
                n.path("models").fieldNames().forEachRemaining(models::add);
            }
        });
        note("   its models: %s", models);

        Map<String, List<String>> answers = fixed.run();
        List<String> diffs = FixedQueries.differences(reference, answers);
        boolean failed = FixedQueries.anyFailed(answers);
        note("   %d searches of %s (MiniLM vectors) through every coordinator: %s, %d top 10 differ from before", answers.size(), ChaosIndex.FIXED,
            failed ? "some FAILED" : "all answered", diffs.size());
        section.check("searches through every node, the one without MiniLM as coordinator too, answer with the same top 10 (its shard "
            + "copies refuse, the other copies answer)", !failed && diffs.isEmpty(), diffs.size() + " differ, e.g. " + diffs.stream().limit(2).toList());

        String query = ChaosIndex.search(texts.get(0), 10, true);
        Http.Reply local = cluster.http(ODD).call("POST", "/" + ChaosIndex.FIXED + "/_search?preference=_only_local", query);
        String reason = local.reasons().stream().filter(r -> r.contains("node [")).findFirst()
            .orElse(local.reasons().isEmpty() ? local.brief() : local.reasons().get(0));
        note("   a search that only node %d's own copies may answer (preference=_only_local): %d %s", ODD, local.status(), reason);
        section.check("as the holder of shards it refuses with 400 naming the node, the model and fair_rescore.models",
            local.status() == 400 && local.reasonContains("node [" + cluster.name(ODD) + "]") && local.reasonContains("[" + ChaosIndex.MODEL + "]")
                && local.reasonContains("[fair_rescore.models]"),
            local.brief());

        Http.Reply ingest = bulkOne(ODD, "mixed-no-minilm");
        JsonNode item = ingest.json().path("items").path(0).path("index");
        String itemReason = item.path("error").path("reason").asText(ingest.brief());
        note("   a document sent to node %d (its ingest pipeline runs there): %d %s", ODD, item.path("status").asInt(ingest.status()), itemReason);
        Http.Reply gone = cluster.http(1).get("/" + ChaosIndex.LIVE + "/_doc/mixed-no-minilm");
        section.check("ingest through it fails the document (400) naming the model, the node and fair_rescore.models; nothing is indexed",
            item.path("status").asInt() == 400 && itemReason.contains("[" + ChaosIndex.MODEL + "]") && itemReason.contains("node [" + cluster.name(ODD) + "]")
                && itemReason.contains("[fair_rescore.models]") && gone.status() == 404,
            ingest.brief() + " / GET " + gone.status());
        Http.Reply elsewhere = bulkOne(1, "mixed-via-node-1");
        section.check("the same document sent to a node with MiniLM is indexed",
            elsewhere.status() == 200 && elsewhere.json().path("items").path(0).path("index").path("status").asInt() == 201, elsewhere.brief());
        cluster.http(1).call("DELETE", "/" + ChaosIndex.LIVE + "/_doc/mixed-via-node-1?refresh=true", (String) null);
    }

    private void withoutPlugin(FixedQueries fixed, Map<String, List<String>> reference) throws Exception {
        long logMark = Files.isRegularFile(cluster.log(ODD)) ? Files.size(cluster.log(ODD)) : 0;
        Node.Result stopped = cluster.stop(ODD);
        Node.Result started = cluster.start(ODD, "--without-plugin", "--no-wait");
        note("2. %s started without the plugin: %s", cluster.name(ODD), started.ok() && stopped.ok() ? "answers HTTP" : "FAILED");
        if (!section.check("a node without the plugin starts", started.ok(), started.output())) {
            return;
        }
        String refusal = null;
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline && refusal == null) {
            Thread.sleep(1000);
            refusal = logLine(logMark, "does not have the fair-rescore plugin");
        }
        Set<String> members = cluster.members(1);
        note("   its log: %s", refusal == null ? "(no refusal within 90 s)" : refusal);
        note("   members as node 1 sees them: %s", members);
        section.check("the cluster manager refuses its join with a message naming the node and the plugin",
            refusal != null && refusal.contains("node [" + cluster.name(ODD) + "]"), "no refusal in " + cluster.log(ODD) + " within 90 s");
        section.check("the cluster goes on without it", !members.contains(cluster.name(ODD)) && members.size() == 2, "members " + members);

        Map<String, List<String>> answers = fixed.run(List.of(1, 2));
        List<String> diffs = FixedQueries.differences(reference, answers);
        boolean failed = FixedQueries.anyFailed(answers);
        note("   %d searches through nodes 1 and 2: %s, %d top 10 differ from before", answers.size(), failed ? "some FAILED" : "all answered",
            diffs.size());
        section.check("searches through the other nodes answer with the same top 10", !failed && diffs.isEmpty() && !answers.isEmpty(),
            diffs.size() + " differ, e.g. " + diffs.stream().limit(2).toList());
        String rescored = refusal(ChaosIndex.search(texts.get(0), 10, true));
        String plain = refusal("{\"size\": 10, \"query\": {\"match\": {\"title\": " + Http.quote(texts.get(0)) + "}}}");
        note("   a fair_semantic search sent to node %d: %s", ODD, rescored);
        note("   a plain search sent to node %d: %s", ODD, plain);
        section.check("the node without the plugin answers no search with hits (it is in no cluster)", rescored != null && plain != null,
            "rescored: " + rescored + "; plain: " + plain);
    }

    /** What node ODD answers to this search: its status and first reason, or null when it answered with hits. */
    private String refusal(String body) throws Exception {
        try {
            Http.Reply reply = cluster.http(ODD).call("POST", "/" + ChaosIndex.FIXED + "/_search", body);
            if (reply.status() == 200) {
                return null;
            }
            return reply.status() + " " + (reply.reasons().isEmpty() ? reply.brief() : reply.reasons().get(0));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private void back(FixedQueries fixed, Map<String, List<String>> reference) throws Exception {
        cluster.stop(ODD);
        Node.Result started = cluster.start(ODD);
        note("3. %s started as before: %s", cluster.name(ODD), started.ok() ? "green with 3 nodes" : "FAILED");
        section.check("node 3 as before joins, green with 3 nodes", started.ok() && cluster.green(3, 120), started.output());
        Map<String, List<String>> answers = fixed.run();
        List<String> diffs = FixedQueries.differences(reference, answers);
        section.check("the same top 10 as before through every node", diffs.isEmpty() && !FixedQueries.anyFailed(answers),
            diffs.size() + " differ, e.g. " + diffs.stream().limit(2).toList());
    }

    private Http.Reply bulkOne(int via, String id) throws Exception {
        String ndjson = "{\"index\": {\"_index\": \"" + ChaosIndex.LIVE + "\", \"_id\": \"" + id + "\"}}\n"
            + Http.JSON.writeValueAsString(ChaosIndex.document(7)) + "\n";
        return cluster.http(via).call("POST", "/_bulk?refresh=true&pipeline=" + ChaosIndex.EMBED_PIPELINE, ndjson.getBytes(StandardCharsets.UTF_8),
            "application/x-ndjson");
    }

    /** The first line of node ODD's log after {@code mark} that holds {@code text}, shortened around it; null if none. */
    private String logLine(long mark, String text) throws Exception {
        if (!Files.isRegularFile(cluster.log(ODD))) {
            return null;
        }
        byte[] all = Files.readAllBytes(cluster.log(ODD));
        int from = (int) Math.min(mark, all.length);
        for (String line : new String(all, from, all.length - from, StandardCharsets.UTF_8).split("\n")) {
            int at = line.indexOf(text);
            if (at >= 0) {
                int start = line.lastIndexOf("node [", at);
                return line.substring(Math.max(0, start), Math.min(line.length(), at + 400));
            }
        }
        return null;
    }

    String summary() {
        StringBuilder out = new StringBuilder("== nodes that differ (node " + ODD + ") ==\n");
        for (String line : lines) {
            out.append("  ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }
}
