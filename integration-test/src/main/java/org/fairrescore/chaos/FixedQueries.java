package org.fairrescore.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.fairrescore.reliability.Http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed query set on {@link ChaosIndex#FIXED} (no writes after its seed): every query, rescored with and without the
 * search pipeline, through every node as coordinator; the top 10 ids of each. Run before the node loss and after the
 * rolling restart, the two must be identical, and within one run the three coordinators must agree.
 */
final class FixedQueries {

    static final int QUERIES = 20;

    private final ClusterControl cluster;
    private final List<String> queries;

    FixedQueries(ClusterControl cluster, List<String> texts) {
        this(cluster, texts, QUERIES);
    }

    /** {@code count} queries spread over the texts. */
    FixedQueries(ClusterControl cluster, List<String> texts, int count) {
        this.cluster = cluster;
        List<String> picked = new ArrayList<>();
        int step = Math.max(1, texts.size() / count);
        for (int i = 0; i < texts.size() && picked.size() < count; i += step) {
            picked.add(texts.get(i));
        }
        this.queries = List.copyOf(picked);
    }

    int size() {
        return queries.size();
    }

    /** Top 10 ids by "variant | query | node"; a failed search is recorded as its status and error. */
    Map<String, List<String>> run() throws IOException, InterruptedException {
        return run(java.util.stream.IntStream.rangeClosed(1, cluster.size()).boxed().toList());
    }

    /** The same through these coordinators only. */
    Map<String, List<String>> run(List<Integer> coordinators) throws IOException, InterruptedException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String q : queries) {
            for (boolean pipeline : new boolean[] {false, true}) {
                for (int n : coordinators) {
                    String path = "/" + ChaosIndex.FIXED + "/_search" + (pipeline ? "?search_pipeline=" + ChaosIndex.SEARCH_PIPELINE : "");
                    Http.Reply reply = cluster.http(n).call("POST", path, ChaosIndex.search(q, pipeline ? ChaosIndex.PIPELINE_SIZE : 10, true));
                    out.put(key(pipeline, q, n), top10(reply));
                }
            }
        }
        return out;
    }

    static String key(boolean pipeline, String query, int node) {
        return (pipeline ? "pipeline" : "rescore") + " | " + query + " | node " + node;
    }

    static List<String> top10(Http.Reply reply) {
        List<String> ids = new ArrayList<>();
        if (reply.status() != 200 || reply.json().path("_shards").path("failed").asInt(0) > 0) {
            ids.add("FAILED " + reply.brief());
            return ids;
        }
        for (JsonNode hit : reply.json().path("hits").path("hits")) {
            if (ids.size() == 10) {
                break;
            }
            ids.add(hit.path("_id").asText());
        }
        return ids;
    }

    /** Keys whose top 10 differ between the two runs. */
    static List<String> differences(Map<String, List<String>> before, Map<String, List<String>> after) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : before.entrySet()) {
            if (after.containsKey(e.getKey()) && !Objects.equals(e.getValue(), after.get(e.getKey()))) {
                out.add(e.getKey() + ": " + e.getValue() + " -> " + after.get(e.getKey()));
            }
        }
        return out;
    }

    /** Queries (and variants) whose coordinators disagreed within one run. */
    List<String> disagreements(Map<String, List<String>> run) {
        List<String> out = new ArrayList<>();
        for (String q : queries) {
            for (boolean pipeline : new boolean[] {false, true}) {
                List<String> first = run.get(key(pipeline, q, 1));
                for (int n = 2; n <= cluster.size(); n++) {
                    if (!Objects.equals(first, run.get(key(pipeline, q, n)))) {
                        out.add(key(pipeline, q, n) + ": " + run.get(key(pipeline, q, n)) + " vs node 1 " + first);
                    }
                }
            }
        }
        return out;
    }

    static boolean anyFailed(Map<String, List<String>> run) {
        return run.values().stream().anyMatch(ids -> !ids.isEmpty() && ids.get(0).startsWith("FAILED"));
    }
}
