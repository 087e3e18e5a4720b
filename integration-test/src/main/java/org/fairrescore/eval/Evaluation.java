package org.fairrescore.eval;

import org.fairrescore.reliability.Http;
import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.JudgedQuery;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the report's searches against a node: indexes every dataset, fetches each query's first-pass window, then runs
 * every query under every {@link Configuration} and, under {@code fair_topk}, once more with explain to read the
 * FA*IR table the plugin applied.
 */
final class Evaluation {

    /** A judged query of one dataset with what is known before any rescore. */
    record Query(int index, Dataset dataset, String indexName, JudgedQuery judged, List<Searches.Hit> window) {
    }

    /** One query under one configuration. */
    record Run(Configuration config, Query query, List<Searches.Hit> hits, long[] tookMillis, long[] roundTripMillis) {
    }

    /** Everything the node answered. */
    record Results(List<Query> queries, Map<Configuration, List<Run>> runs, Map<Integer, Searches.Explained> fairExplain,
                   double indexSeconds, int documents) {
    }

    private final Http client;
    private final RunSettings settings;
    private final PrintStream log;
    /** Run on the catalogs' indices before they are deleted, when set. */
    private DiversityRun diversity;
    private DiversityRun.Results diversityResults;
    private String diversitySkipped;

    Evaluation(Http client, RunSettings settings, PrintStream log) {
        this.client = client;
        this.settings = settings;
        this.log = log;
    }

    /** Runs {@code diversity} on the catalogs' indices at the end of {@link #run}; see {@link #diversityResults}. */
    Evaluation withDiversity(DiversityRun diversity) {
        this.diversity = diversity;
        return this;
    }

    /** The diversity run's results, or null when there was none ({@link #diversitySkipped} says why). */
    DiversityRun.Results diversityResults() {
        return diversityResults;
    }

    /** Why the diversity run was left out although asked for (no stored vectors), else null. */
    String diversitySkipped() {
        return diversitySkipped;
    }

    Results run(List<Dataset> datasets, List<Configuration> configurations, boolean keepIndices) {
        Searches searches = new Searches(client, settings);
        List<EvalIndex> indices = new ArrayList<>();
        long start = System.nanoTime();
        int documents = 0;
        log.println("Indexing " + datasets.size() + " dataset(s):");
        for (Dataset d : datasets) {
            EvalIndex index = new EvalIndex(client, d, settings);
            index.createAndLoad(log);
            indices.add(index);
            documents += d.items().size();
        }
        double indexSeconds = (System.nanoTime() - start) / 1e9;
        try {
            List<Query> queries = new ArrayList<>();
            for (EvalIndex index : indices) {
                for (JudgedQuery q : index.dataset().queries()) {
                    List<Searches.Hit> window = searches.search(index.name(), searches.bm25(q.text(), settings.window()))
                        .hits();
                    queries.add(new Query(queries.size(), index.dataset(), index.name(), q, window));
                }
            }
            log.println("Searching " + queries.size() + " queries under " + configurations.size() + " configurations:");
            Map<Configuration, List<Run>> runs = new EnumMap<>(Configuration.class);
            Map<Integer, Searches.Explained> explained = new java.util.LinkedHashMap<>();
            for (Configuration c : configurations) {
                Progress progress = new Progress(log, c.id(), queries.size(), "queries");
                List<Run> out = new ArrayList<>();
                for (EvalIndex index : indices) {
                    List<Query> mine = queries.stream().filter(q -> q.indexName().equals(index.name())).toList();
                    if (mine.isEmpty()) {
                        continue;
                    }
                    if (c.rescored()) {
                        index.setMode(c.mode());
                    }
                    // One untimed search per index and configuration: caches, and the first rescore's warm-up.
                    searches.search(index.name(), request(searches, c, mine.get(0).judged().text()));
                    for (Query q : mine) {
                        out.add(timed(searches, c, q));
                        progress.advance(1);
                    }
                    if (c == Configuration.FAIR_TOPK) {
                        for (Query q : mine) {
                            explained.put(q.index(), searches.explain(index.name(), q.judged().text()));
                        }
                    }
                }
                runs.put(c, out);
            }
            if (diversity != null) {
                diversity(searches, indices);
            }
            return new Results(queries, runs, explained, indexSeconds, documents);
        } finally {
            if (keepIndices == false) {
                indices.forEach(EvalIndex::delete);
            }
        }
    }

    private void diversity(Searches searches, List<EvalIndex> indices) {
        if (settings.storedVectors() == false) {
            diversitySkipped = "The catalogs were run with --on-the-fly (no stored vectors to read back): their "
                + "diversity table is left out.";
            log.println("  diversity: " + diversitySkipped);
            return;
        }
        List<DiversityRun.Target> targets = new ArrayList<>();
        java.util.Set<String> categories = new java.util.TreeSet<>();
        int items = 0;
        int categorised = 0;
        for (EvalIndex index : indices) {
            targets.add(new DiversityRun.Target(index.name(), index.dataset(), text -> searches.rescored(text,
                settings.k()), EvalIndex.VECTOR_FIELD, EvalIndex.TIER_FIELD));
            for (org.fairrescore.eval.data.Item item : index.dataset().items()) {
                items++;
                if (item.category() != null) {
                    categorised++;
                    categories.add(item.category());
                }
            }
        }
        String categoryField = categorised == 0 ? "the catalogs have no category: each hit counts as its own"
            : String.format(java.util.Locale.ROOT, "the item's category (%d of %d items have one, %d distinct, e.g. %s"
                + "; an item without one counts as its own)", categorised, items, categories.size(),
                String.join(", ", categories.stream().limit(4).toList()));
        String names = String.join(", ", indices.stream().map(i -> i.dataset().name()).toList());
        diversityResults = diversity.run(indices.size() + " catalog(s) (" + names + ")", categoryField, targets);
    }

    private com.fasterxml.jackson.databind.node.ObjectNode request(Searches searches, Configuration c, String text) {
        return c.rescored() ? searches.rescored(text, settings.k()) : searches.bm25(text, settings.k());
    }

    private Run timed(Searches searches, Configuration c, Query q) {
        long[] took = new long[settings.repeat()];
        long[] roundTrip = new long[settings.repeat()];
        List<Searches.Hit> hits = null;
        for (int i = 0; i < settings.repeat(); i++) {
            Searches.Result r = searches.search(q.indexName(), request(searches, c, q.judged().text()));
            if (hits == null) {
                hits = r.hits();
            }
            took[i] = r.tookMillis();
            roundTrip[i] = r.roundTripMillis();
        }
        return new Run(c, q, hits, took, roundTrip);
    }
}
