package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.Item;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.metrics.ListDiversity;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.reliability.Http;
import org.fairrescore.reliability.SourceVectors;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The diversity run: on indices the report has already loaded (stored document vectors), every judged query searched
 * under the default {@code fair_semantic} (the baseline), MMR at two lambdas, near-duplicate demotion alone, and a
 * combined rule set (cap, group minimums per shop tier, MMR and near duplicates together). Per query it reads the
 * top k back with each hit's stored vector (the vector field added to the request's {@code _source}) and measures
 * NDCG@k, intra-list similarity, distinct categories and the near-duplicate rate ({@link ListDiversity}).
 *
 * <p>Every configuration is a clause override ({@code quota} and {@code diversity} in the {@code fair_semantic}
 * clause), so no ranking setting of the index changes between configurations and nothing can leak into another
 * section. The quota override needs the index's consent and {@code group_fair_topk} needs the tier field named in
 * {@code index.fair_rescore.groups.field} (no clause field for it): both are set once per index before the searches
 * and reset to their defaults after them, also on failure.
 */
final class DiversityRun {

    static final double MMR_LAMBDA_HIGH = 0.8;
    static final double MMR_LAMBDA_LOW = 0.7;
    /** The demotion threshold of the near-duplicate configurations, the same as the metric's. */
    static final double DUPLICATE_THRESHOLD = ListDiversity.NEAR_DUPLICATE;
    static final int CAP = 2;
    static final int CAP_WINDOW = 10;
    /** The combined rule set's group minimums by shop tier; a tier the catalog lacks is left out. */
    static final Map<String, Double> TIER_MINIMUMS = tierMinimums();
    static final String OVERRIDE = "index.fair_rescore.allow_request_override";
    static final String GROUPS_FIELD = "index.fair_rescore.groups.field";

    private static Map<String, Double> tierMinimums() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(Dataset.TAIL, 0.3);
        m.put("mid", 0.2);
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * One configuration: a clause's {@code diversity} object and, for the combined one, its {@code quota} rules.
     *
     * @param id                 row label
     * @param lambda             MMR's lambda (1: off)
     * @param duplicateThreshold near duplicates from this cosine on move down (1: off)
     * @param minimums           group minimums by tier of the combined rule set (cap {@link #CAP} per
     *                           {@link #CAP_WINDOW} + {@code group_fair_topk}); empty: no rule (mode {@code none})
     */
    record Config(String id, double lambda, double duplicateThreshold, Map<String, Double> minimums) {

        Config {
            minimums = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(minimums));
        }

        boolean rules() {
            return minimums.isEmpty() == false;
        }

        /** The clause's {@code quota} override. */
        ObjectNode quota() {
            ObjectNode q = EvalIndex.JSON.createObjectNode();
            if (rules() == false) {
                q.put("mode", "none");
                return q;
            }
            q.putArray("mode").add("cap").add("group_fair_topk");
            q.put("max_per_shop", CAP);
            q.put("cap_window", CAP_WINDOW);
            ObjectNode groups = q.putObject("group_minimums");
            minimums.forEach(groups::put);
            return q;
        }

        /** The clause's {@code diversity} override, explicit even when off (an index default cannot creep in). */
        ObjectNode diversity() {
            ObjectNode d = EvalIndex.JSON.createObjectNode();
            return d.put("lambda", lambda).put("duplicate_threshold", duplicateThreshold);
        }
    }

    /** The baseline, MMR at {@link #MMR_LAMBDA_HIGH} and {@link #MMR_LAMBDA_LOW}, near duplicates, and the rules. */
    static List<Config> configs(Set<String> tiers) {
        Map<String, Double> minimums = new LinkedHashMap<>();
        TIER_MINIMUMS.forEach((tier, share) -> {
            if (tiers.contains(tier)) {
                minimums.put(tier, share);
            }
        });
        StringBuilder rules = new StringBuilder("cap " + CAP + "/" + CAP_WINDOW);
        minimums.forEach((tier, share) -> rules.append(" + ").append(tier).append(" ≥ ").append(num(share)));
        List<Config> out = new ArrayList<>();
        out.add(new Config("fair_semantic (baseline)", 1, 1, Map.of()));
        out.add(new Config("MMR λ " + num(MMR_LAMBDA_HIGH), MMR_LAMBDA_HIGH, 1, Map.of()));
        out.add(new Config("MMR λ " + num(MMR_LAMBDA_LOW), MMR_LAMBDA_LOW, 1, Map.of()));
        out.add(new Config("near duplicates ≥ " + num(DUPLICATE_THRESHOLD), 1, DUPLICATE_THRESHOLD, Map.of()));
        if (minimums.isEmpty() == false) {
            out.add(new Config(rules + " + MMR λ " + num(MMR_LAMBDA_HIGH) + " + near duplicates ≥ "
                + num(DUPLICATE_THRESHOLD), MMR_LAMBDA_HIGH, DUPLICATE_THRESHOLD, minimums));
        }
        return List.copyOf(out);
    }

    /**
     * One index to measure.
     *
     * @param index       the index, loaded with stored vectors
     * @param dataset     its catalog and judged queries (categories come from its items)
     * @param request     the section's own rescored request of a query text (first pass, window, top k)
     * @param vectorField the {@code fair_rescore_vector} field whose stored vectors are read back
     * @param tierField   the keyword field with the shop's tier
     */
    record Target(String index, Dataset dataset, Function<String, ObjectNode> request, String vectorField,
                  String tierField) {
    }

    /** One query under one configuration. */
    record Measured(double ndcg, double ils, int distinctCategories, double nearDuplicateRate, int hits) {
    }

    /**
     * Everything measured on one set of indices.
     *
     * @param name          what was measured (table caption)
     * @param categoryField where the categories come from (one line)
     * @param k             the measured page
     * @param configs       the configurations, the baseline first
     * @param queries       the queries, in the order of each configuration's list
     * @param measured      per configuration id, one entry per query
     * @param seconds       how long the searches took, setup included
     */
    record Results(String name, String categoryField, int k, List<Config> configs, List<String> queries,
                   Map<String, List<Measured>> measured, double seconds) {

        int searches() {
            return configs.size() * queries.size();
        }
    }

    private final Http client;
    private final PrintStream log;
    private final int k;

    DiversityRun(Http client, PrintStream log, int k) {
        this.client = client;
        this.log = log;
        this.k = k;
    }

    Results run(String name, String categoryField, List<Target> targets) {
        long start = System.nanoTime();
        Set<String> tiers = new LinkedHashSet<>();
        targets.forEach(t -> tiers.addAll(t.dataset().shopTiers().values()));
        List<Config> configs = configs(tiers);
        List<String> queries = new ArrayList<>();
        targets.forEach(t -> t.dataset().queries().forEach(q -> queries.add(q.text())));
        Map<String, List<Measured>> measured = new LinkedHashMap<>();
        configs.forEach(c -> measured.put(c.id(), new ArrayList<>()));
        Progress progress = new Progress(log, "diversity: " + name, configs.size() * queries.size(), "searches");
        for (Target t : targets) {
            allowOverrides(t);
            try {
                for (Config c : configs) {
                    for (JudgedQuery q : t.dataset().queries()) {
                        JsonNode response = client.expect("POST", "/" + t.index() + "/_search", request(t, c, q.text()))
                            .json();
                        measured.get(c.id()).add(measure(response, q, t.dataset(), t.vectorField(), k));
                        progress.advance(1);
                    }
                }
            } finally {
                resetOverrides(t);
            }
        }
        return new Results(name, categoryField, k, configs, List.copyOf(queries), measured,
            (System.nanoTime() - start) / 1e9);
    }

    /** The section's request with the configuration's overrides and the vector field in {@code _source}. */
    static ObjectNode request(Target t, Config c, String text) {
        ObjectNode body = t.request().apply(text);
        JsonNode clause = body.path("rescore").path("fair_semantic");
        if (clause.isObject() == false) {
            throw new IllegalArgumentException("the diversity run needs a fair_semantic rescore request, got " + body);
        }
        ObjectNode fair = (ObjectNode) clause;
        fair.set("quota", c.quota());
        fair.set("diversity", c.diversity());
        ArrayNode source = body.putArray("_source");
        source.add("shop").add(t.vectorField());
        return body;
    }

    private void allowOverrides(Target t) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        body.put(OVERRIDE, true);
        body.put(GROUPS_FIELD, t.tierField());
        client.expect("PUT", "/" + t.index() + "/_settings", body);
    }

    private void resetOverrides(Target t) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        body.putNull(OVERRIDE);
        body.putNull(GROUPS_FIELD);
        client.expect("PUT", "/" + t.index() + "/_settings", body);
    }

    /** The top k of one answer, measured: NDCG@k from the judgments, the rest from stored vectors and categories. */
    static Measured measure(JsonNode response, JudgedQuery q, Dataset dataset, String vectorField, int k) {
        List<Searches.Hit> hits = Searches.hits(response);
        JsonNode raw = response.path("hits").path("hits");
        int n = Math.min(k, hits.size());
        double[] gains = new double[n];
        List<float[]> vectors = new ArrayList<>(n);
        List<String> categories = new ArrayList<>(n);
        Map<String, Item> items = QuerySet.items(dataset);
        for (int i = 0; i < n; i++) {
            String id = hits.get(i).id();
            gains[i] = q.gain(id);
            vectors.add(vector(raw.get(i), vectorField));
            Item item = items.get(id);
            categories.add(item == null ? null : item.category());
        }
        return new Measured(Ndcg.at(k, gains, q.judgedGains()), ListDiversity.intraListSimilarity(vectors),
            ListDiversity.distinctCategories(categories),
            ListDiversity.nearDuplicateRate(vectors, ListDiversity.NEAR_DUPLICATE), n);
    }

    /**
     * The stored vector of a hit: {@code _source.<field>} as the {@code fair_rescore_embed} processor writes it
     * ({@code {"model", "text_hash", "vector": "<base64>"}}), or an array of numbers ({@link SourceVectors}).
     */
    static float[] vector(JsonNode hit, String field) {
        float[] v = SourceVectors.of(hit.path("_source").path(field));
        if (v == null || v.length == 0) {
            throw new IllegalStateException("hit " + hit.path("_id").asText("?") + " has no stored vector in _source."
                + field + " (the diversity metrics need every hit's vector)");
        }
        return v;
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
