package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.JudgedQuery;
import org.fairrescore.eval.data.WandsSubsetLoader;
import org.fairrescore.eval.metrics.Amortized;
import org.fairrescore.eval.metrics.Ndcg;
import org.fairrescore.eval.metrics.Stats;
import org.fairrescore.eval.metrics.StreamTally;
import org.fairrescore.reliability.Http;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fairness over time, measured by replay: a stream of searches, query texts drawn Zipf-like from a dataset's
 * labelled queries, served by a real node with the plugin under {@code cap} alone and under {@code cap} with the
 * amortized exposure mode at several strengths and targets. The same stream is replayed under every configuration,
 * with the index's exposure ledger emptied ({@code DELETE _plugins/_fair_rescore/exposure/{index}}) before each.
 *
 * <p>Per search the client tallies each shop's exposure from the served top 10 ({@code 1/log2(1 + r)}), the plugin's
 * merit for that query, the label merit of that query's first-pass window and the NDCG@10; at every checkpoint it
 * computes the stream's fairness figures ({@link StreamTally}). The plugin's merit of a query is read from the ledger
 * before the stream, once per query (empty ledger, one search, {@code GET}): it is the window's blend before any
 * boost, split among its shops, so it does not depend on the configuration or on the ledger. That keeps the stream
 * free of ledger reads, each of which would sync the node's view and so shorten the feedback delay being measured;
 * after each configuration one {@code GET} checks that the ledger holds exactly the exposure the client counted and
 * the merit the calibration predicts.
 *
 * <p>{@code cap} alone runs with the amortized mode on at strength 0: the ledger records, no hit is boosted
 * ({@code boost = strength * 0.1 * deficit}). Before the stream every query's top 10 is compared under exposure mode
 * {@code off} and at strength 0, and the report says whether they are the same.
 */
final class Replay {

    static final int K = 10;
    static final int WINDOW = 100;
    static final int MAX_PER_SHOP = 2;
    static final int CAP_WINDOW = 10;
    /** So long that decay cannot blur the comparison: over a 10-minute run figures lose 5e-6 of their weight. */
    static final String HALF_LIFE = "1000d";
    static final double ZIPF_EXPONENT = 1.0;
    static final long STREAM_SEED = 14L;
    static final int DEFAULT_SEARCHES = 5000;
    static final int DEFAULT_CHECKPOINT = 250;
    static final int DEFAULT_CATALOGS = 1;
    /** Searches per second the stream stands for (so the default 5 s sync interval is 500 searches). */
    static final double DEFAULT_RATE = 100;
    /** Relative difference allowed between the client's tallies and the ledger. */
    static final double TOLERANCE = 1e-4;
    static final String SYNC_SETTING = "fair_rescore.exposure.sync_interval";
    static final String EXPOSURE_PATH = "/_plugins/_fair_rescore/exposure/";

    /**
     * One configuration of the replay.
     *
     * @param strength {@code index.fair_rescore.exposure.strength}; 0 for {@code cap} alone
     * @param target   {@code index.fair_rescore.exposure.target}
     */
    record Config(String id, String label, double strength, String target) {
        boolean boosted() {
            return strength > 0;
        }
    }

    /** {@code cap} alone, then cap + amortized with target merit at 0.3, 0.6 (the default) and 1.0, and uniform at 0.6. */
    static List<Config> configs() {
        return List.of(
            new Config("cap", "cap 2/10 alone (ledger recording at strength 0: no boost)", 0, "merit"),
            new Config("merit 0.3", "cap 2/10 + amortized, target merit, strength 0.3", 0.3, "merit"),
            new Config("merit 0.6", "cap 2/10 + amortized, target merit, strength 0.6 (the default)", 0.6, "merit"),
            new Config("merit 1.0", "cap 2/10 + amortized, target merit, strength 1.0", 1.0, "merit"),
            new Config("uniform 0.6", "cap 2/10 + amortized, target uniform, strength 0.6", 0.6, "uniform"));
    }

    /**
     * How the replay runs.
     *
     * @param searches   searches per configuration (the stream's length)
     * @param checkpoint figures are taken every this many searches (and at the end)
     * @param catalogs   seeded catalogs replayed (consecutive seeds from {@code firstSeed}), besides the WANDS subset
     * @param rate       searches per second the stream stands for: a sync interval is this many searches times the
     *                   interval in seconds (see {@link SyncCheck})
     */
    record Options(int searches, int checkpoint, int catalogs, long firstSeed, int products, boolean keepIndices,
                   List<String> syncIntervals, double rate) {
        Options {
            if (rate > 0 == false || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("replay: the rate is searches per second above 0, got " + rate);
            }
            if (searches < 1 || checkpoint < 1 || catalogs < 0) {
                throw new IllegalArgumentException("replay: searches and checkpoint must be at least 1, catalogs at "
                    + "least 0; got " + searches + ", " + checkpoint + ", " + catalogs);
            }
            syncIntervals = List.copyOf(syncIntervals);
            for (String i : syncIntervals) {
                if (Double.isNaN(millis(i)) || millis(i) < 100) {
                    throw new IllegalArgumentException("replay: a sync interval is a time value of at least 100ms "
                        + "(5s, 500ms, 1m), got \"" + i + "\"");
                }
            }
        }

        /** The options with the node's sync interval only, at the default rate. */
        Options(int searches, int checkpoint, int catalogs, long firstSeed, int products, boolean keepIndices) {
            this(searches, checkpoint, catalogs, firstSeed, products, keepIndices, List.of(), DEFAULT_RATE);
        }

        /** Searches between two syncs at {@code interval}: the interval at this rate (at least 1). */
        int searchesPerSync(String interval) {
            return (int) Math.max(1, Math.round(millis(interval) * rate / 1000));
        }
    }

    /** One dataset as the replay indexes and searches it. */
    interface Target {
        Dataset dataset();

        String index();

        /** How the dataset is indexed and searched, for the report. */
        String setup();

        /** The first pass alone, {@link #WINDOW} hits: the window label merit is read from. */
        ObjectNode firstPass(String query);

        /** The served search: the first pass rescored by {@code fair_semantic} over {@link #WINDOW}, top {@link #K}. */
        ObjectNode served(String query);

        /** Creates the index and loads the documents; returns the seconds it took. */
        double load();

        void delete();
    }

    /** The WANDS subset in the default model's index, exactly as the real-data section builds and searches it. */
    static Target wands(Http client, PrintStream log, WandsSubsetLoader.Subset subset) {
        RealData realData = new RealData(client, log);
        RealData.Config served = new RealData.Config("replay", RealData.DEFAULT_MODEL, null, "cap");
        return new Target() {
            public Dataset dataset() {
                return subset.dataset();
            }

            public String index() {
                return RealData.indexName(RealData.DEFAULT_MODEL);
            }

            public String setup() {
                return "first pass multi_match over " + RealData.FIRST_PASS_FIELDS + ", rescore window " + WINDOW
                    + ", vectors of " + String.join(" + ", RealData.TEXT_FIELDS) + " stored at ingest by "
                    + RealData.DEFAULT_MODEL + " (the real-data section's index), one shard";
            }

            public ObjectNode firstPass(String query) {
                return RealData.firstPass(query, WINDOW);
            }

            public ObjectNode served(String query) {
                return RealData.request(served, query);
            }

            public double load() {
                return realData.createAndLoad(RealData.DEFAULT_MODEL, subset);
            }

            public void delete() {
                client.expect("DELETE", "/" + index(), null, 200, 404);
                client.expect("DELETE", "/_ingest/pipeline/" + RealData.pipelineName(RealData.DEFAULT_MODEL), null,
                    200, 404);
            }
        };
    }

    /** A seeded catalog, indexed and searched as the report's seeded section does (title^2 + description, window 100). */
    static Target seeded(Http client, PrintStream log, Dataset dataset) {
        RunSettings settings = RunSettings.defaults();
        EvalIndex index = new EvalIndex(client, dataset, settings);
        Searches searches = new Searches(client, settings);
        return new Target() {
            public Dataset dataset() {
                return dataset;
            }

            public String index() {
                return index.name();
            }

            public String setup() {
                return "first pass multi_match over [title^2, description], rescore window " + WINDOW + ", vectors of "
                    + settings.fields() + " stored at ingest by the node's default model (the seeded section's "
                    + "index), one shard";
            }

            public ObjectNode firstPass(String query) {
                return searches.bm25(query, WINDOW);
            }

            public ObjectNode served(String query) {
                return searches.rescored(query, K);
            }

            public double load() {
                long start = System.nanoTime();
                index.createAndLoad(log);
                return (System.nanoTime() - start) / 1e9;
            }

            public void delete() {
                index.delete();
            }
        };
    }

    /**
     * The ledger as {@code GET _plugins/_fair_rescore/exposure/{index}} reports it.
     */
    record Ledger(double exposure, double merit, int shops, Map<String, Double> shopExposure,
                  Map<String, Double> shopMerit) {
    }

    /**
     * Whether the ledger holds what the client counted: totals and the largest per-shop difference, exposure and merit.
     */
    record Consistency(double clientExposure, double ledgerExposure, double exposureShopDiff, double expectedMerit,
                       double ledgerMerit, double meritShopDiff, int clientShops, int ledgerShops) {

        static Consistency of(Map<String, Double> exposure, Map<String, Double> merit, Ledger ledger) {
            Set<String> shops = new HashSet<>(exposure.keySet());
            shops.addAll(merit.keySet());
            return new Consistency(sum(exposure), ledger.exposure(), maxDiff(exposure, ledger.shopExposure()),
                sum(merit), ledger.merit(), maxDiff(merit, ledger.shopMerit()), shops.size(), ledger.shops());
        }

        boolean holds() {
            return relative(clientExposure, ledgerExposure) <= TOLERANCE
                && exposureShopDiff <= TOLERANCE * Math.max(1, clientExposure)
                && relative(expectedMerit, ledgerMerit) <= TOLERANCE
                && meritShopDiff <= TOLERANCE * Math.max(1, expectedMerit)
                && clientShops == ledgerShops;
        }

        static double relative(double a, double b) {
            return Math.abs(a - b) / Math.max(1e-12, Math.max(Math.abs(a), Math.abs(b)));
        }

        private static double maxDiff(Map<String, Double> a, Map<String, Double> b) {
            Set<String> keys = new HashSet<>(a.keySet());
            keys.addAll(b.keySet());
            double max = 0;
            for (String k : keys) {
                max = Math.max(max, Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0)));
            }
            return max;
        }

        private static double sum(Map<String, Double> m) {
            return m.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    /** One configuration's stream. */
    /** @param drivenSyncs syncs the replay triggered during the stream (0 when the node syncs on its own) */
    record ConfigRun(Config config, List<StreamTally.Snapshot> checkpoints, Consistency consistency, double seconds,
                     double tookP50, double tookP99, double roundTripP50, double roundTripP99,
                     Map<String, Double> ownMerit, Map<String, Double> labelMerit, int drivenSyncs) {

        StreamTally.Snapshot last() {
            return checkpoints.get(checkpoints.size() - 1);
        }

        double searchesPerSecond() {
            return last().searches() / seconds;
        }
    }

    /**
     * One dataset's replay.
     *
     * @param counts          how often the stream searches each query (dataset query order)
     * @param syncInterval    the sync interval of this pass (the node's, or one of {@code --replay-sync-intervals})
     * @param capSameAsOff    queries whose top 10 under {@code cap} was the same with exposure mode off and at
     *                        strength 0
     * @param meritPerSearch  smallest and largest merit one search brought in the calibration (1 per search expected)
     */
    record DatasetRun(Target target, String syncInterval, int[] counts, StreamTally.Groups groups, double loadSeconds,
                      int capSameAsOff, double[] meritPerSearch, List<ConfigRun> runs, double seconds) {

        Dataset dataset() {
            return target.dataset();
        }

        /** The dataset's name and the sync interval of this pass, for tables and file names. */
        String label() {
            return target.dataset().name() + " @" + syncInterval;
        }

        String fileLabel() {
            return target.dataset().name() + "-sync-" + syncInterval;
        }

        ConfigRun run(String id) {
            return runs.stream().filter(r -> r.config().id().equals(id)).findFirst().orElse(null);
        }
    }

    /**
     * Whether the node rebuilds its view of the ledger on its own. Measured before the replay: the node's count of
     * syncs ({@code exposure.syncs} in {@code _plugins/_fair_rescore/stats}, summed over nodes) before and after
     * waiting two sync intervals without any ledger read. When it did not grow, the node's scheduled sync is not
     * running, the rescorer's view never changes and no hit is ever boosted; the replay then triggers the sync itself
     * ({@code GET _plugins/_fair_rescore/exposure/{index}?size=0}, which syncs first), what the node's own timer should
     * do, after every {@code interval x rate} searches of the stream: the feedback delay is then exactly that many
     * searches in every configuration and every run. When the node syncs on its own, the replay paces the stream at
     * the rate instead (the delay is then that many searches give or take the timer's phase, as long as the node
     * keeps up: the report gives the rate reached).
     *
     * @param byClient whether the replay drives the sync
     */
    record SyncCheck(boolean byClient, long syncsBefore, long syncsAfter, double waitedSeconds) {
        String describe(double rate) {
            return String.format(Locale.ROOT, "the node's sync count went from %d to %d in %.1f s without a ledger "
                + "read: %s", syncsBefore, syncsAfter, waitedSeconds, byClient
                ? String.format(Locale.ROOT, "its scheduled sync is NOT running (the rescorer's view of the ledger "
                    + "would never change and no hit would be boosted), so the replay triggered the sync itself during "
                    + "each stream (GET _plugins/_fair_rescore/exposure/{index}?size=0, which syncs first) after every "
                    + "interval x %.0f searches (the stream standing for %.0f searches/s): the same searches in every "
                    + "configuration and every run", rate, rate)
                : String.format(Locale.ROOT, "its scheduled sync runs, the replay leaves it to the node and paces the "
                    + "stream at %.0f searches/s", rate));
        }
    }

    /**
     * @param syncInterval as the node reports it, with where it comes from
     * @param syncMillis   the same in milliseconds; NaN when it could not be read
     */
    record Results(Options options, String syncInterval, double syncMillis, SyncCheck sync, List<DatasetRun> datasets,
                   double seconds) {
    }

    private final Http client;
    private final Options options;
    private final PrintStream log;
    /** Whether the replay triggers the node's sync itself (the node's scheduled sync does not run). */
    private boolean byClient;
    /** When above 0, the replay triggers the node's sync itself after every this many searches of a stream. */
    private int drivenEvery;

    Replay(Http client, Options options, PrintStream log) {
        this.client = client;
        this.options = options;
        this.log = log;
    }

    Results run(List<Target> targets) {
        long start = System.nanoTime();
        String sync = syncInterval();
        double syncMillis = millis(sync);
        log.println("Replay: " + targets.size() + " dataset(s) x " + configs().size() + " configurations x "
            + options.searches() + " searches (sync interval " + sync + ")");
        SyncCheck check = checkSync(Double.isNaN(syncMillis) ? 5000 : syncMillis);
        if (check.byClient()) {
            log.println("  WARNING: " + check.describe(options.rate()));
        } else {
            log.println("  " + check.describe(options.rate()));
        }
        this.byClient = check.byClient();
        String own = sync.replaceAll("\\s.*", "");
        List<String> intervals = options.syncIntervals().isEmpty() ? List.of(own) : options.syncIntervals();
        List<DatasetRun> out = new ArrayList<>();
        try {
            for (Target t : targets) {
                out.addAll(run(t, intervals, own));
            }
        } finally {
            if (byClient == false && intervals.stream().anyMatch(i -> i.equals(own) == false)) {
                nodeSyncInterval(null);
            }
        }
        return new Results(options, sync, syncMillis, check, out, (System.nanoTime() - start) / 1e9);
    }

    /** Sets (or, with null, removes) the transient {@code fair_rescore.exposure.sync_interval}. */
    void nodeSyncInterval(String value) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        ObjectNode t = body.putObject("transient");
        if (value == null) {
            t.putNull(SYNC_SETTING);
        } else {
            t.put(SYNC_SETTING, value);
        }
        client.expect("PUT", "/_cluster/settings", body);
    }

    /** Applies one pass's sync interval: the node's setting, or the interval the replay syncs at itself. */
    private void useSyncInterval(String interval, String own) {
        if (byClient) {
            drivenEvery = options.searchesPerSync(interval);
        } else {
            drivenEvery = 0;
            nodeSyncInterval(interval.equals(own) ? null : interval);
        }
    }

    /** Waits two sync intervals (and half a second) without reading a ledger and compares the node's sync counts. */
    SyncCheck checkSync(double intervalMillis) {
        long before = syncs();
        long start = System.nanoTime();
        try {
            Thread.sleep((long) (2 * intervalMillis) + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long after = syncs();
        return new SyncCheck(after <= before, before, after, (System.nanoTime() - start) / 1e9);
    }

    /** The syncs every node has run ({@code exposure.syncs} of the plugin's stats, summed). */
    long syncs() {
        long n = 0;
        for (JsonNode node : client.expect("GET", "/_plugins/_fair_rescore/stats", null).json().path("nodes")) {
            JsonNode syncs = node.path("exposure").path("syncs");
            if (syncs.isNumber() == false) {
                throw new IllegalStateException("the plugin's stats have no exposure.syncs (is the plugin current?): "
                    + node.path("exposure"));
            }
            n += syncs.asLong();
        }
        return n;
    }

    /** One dataset: indexed once, measured once, then one pass of every configuration per sync interval. */
    List<DatasetRun> run(Target target, List<String> intervals, String own) {
        long start = System.nanoTime();
        Dataset d = target.dataset();
        List<JudgedQuery> queries = d.queries();
        String index = target.index();
        double loadSeconds = target.load();
        try {
            int[] stream = ZipfStream.draw(options.searches(), queries.size(), ZIPF_EXPONENT, STREAM_SEED);
            int[] counts = new int[queries.size()];
            for (int q : stream) {
                counts[q]++;
            }
            List<ObjectNode> requests = queries.stream().map(q -> target.served(q.text())).toList();

            // label merit: the gains of each shop's labelled items in the query's first-pass window
            List<Map<String, Double>> labelMerit = new ArrayList<>();
            for (JudgedQuery q : queries) {
                List<Searches.Hit> window = search(index, target.firstPass(q.text()));
                labelMerit.add(Amortized.labelMerit(window.stream().map(Searches.Hit::id).toList(),
                    window.stream().map(Searches.Hit::shop).toList(), q.gains()));
            }

            // cap alone is the cap: the same pages with the exposure mode off and at strength 0
            Config cap = configs().get(0);
            client.expect("PUT", "/" + index + "/_settings", settings(cap, false));
            List<List<String>> off = new ArrayList<>();
            for (ObjectNode r : requests) {
                off.add(ids(search(index, r)));
            }
            client.expect("PUT", "/" + index + "/_settings", settings(cap, true));
            int same = 0;
            for (int i = 0; i < requests.size(); i++) {
                same += ids(search(index, requests.get(i))).equals(off.get(i)) ? 1 : 0;
            }

            // the plugin's merit of each query: one search into an empty ledger
            List<Map<String, Double>> ownMerit = new ArrayList<>();
            double[] meritPerSearch = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (int i = 0; i < requests.size(); i++) {
                reset(index);
                List<Searches.Hit> hits = search(index, requests.get(i));
                Ledger l = ledger(index);
                // the ledger must hold exactly this page's exposure (its merit is what is read)
                Consistency c = Consistency.of(pageExposure(hits), l.shopMerit(), l);
                if (c.holds() == false) {
                    throw new IllegalStateException("calibration of \"" + queries.get(i).text() + "\": after one "
                        + "search the ledger does not hold the exposure the page served: " + c);
                }
                ownMerit.add(l.shopMerit());
                meritPerSearch[0] = Math.min(meritPerSearch[0], l.merit());
                meritPerSearch[1] = Math.max(meritPerSearch[1], l.merit());
            }

            StreamTally.Groups groups = groups(d);
            List<DatasetRun> passes = new ArrayList<>();
            for (String interval : intervals) {
                useSyncInterval(interval, own);
                long passStart = System.nanoTime();
                List<ConfigRun> runs = new ArrayList<>();
                for (Config c : configs()) {
                    runs.add(stream(target, c, interval, stream, requests, ownMerit, labelMerit, groups));
                }
                double setup = passes.isEmpty() ? (passStart - start) / 1e9 : 0;
                passes.add(new DatasetRun(target, interval, counts, groups, loadSeconds, same, meritPerSearch, runs,
                    setup + (System.nanoTime() - passStart) / 1e9));
            }
            return passes;
        } finally {
            if (options.keepIndices() == false) {
                target.delete();
            } else {
                client.expect("PUT", "/" + index + "/_settings", settings(configs().get(0), false));
            }
        }
    }

    private ConfigRun stream(Target target, Config c, String interval, int[] stream, List<ObjectNode> requests,
                             List<Map<String, Double>> ownMerit, List<Map<String, Double>> labelMerit,
                             StreamTally.Groups groups) {
        String index = target.index();
        List<JudgedQuery> queries = target.dataset().queries();
        client.expect("PUT", "/" + index + "/_settings", settings(c, true));
        reset(index);
        StreamTally tally = new StreamTally(K);
        List<StreamTally.Snapshot> checkpoints = new ArrayList<>();
        double[] took = new double[stream.length];
        double[] roundTrip = new double[stream.length];
        Progress progress = new Progress(log, target.dataset().name() + " @" + interval + ": " + c.id(),
            stream.length, "searches");
        long start = System.nanoTime();
        int driven = 0;
        for (int i = 0; i < stream.length; i++) {
            int q = stream[i];
            if (drivenEvery > 0 && i > 0 && i % drivenEvery == 0) {
                client.expect("GET", EXPOSURE_PATH + index + "?size=0", null); // syncs: what the node's timer should do
                driven++;
            } else if (drivenEvery == 0) {
                pace(start, i);
            }
            long t0 = System.nanoTime();
            Http.Reply reply = client.expect("POST", "/" + index + "/_search", requests.get(q));
            roundTrip[i] = (System.nanoTime() - t0) / 1e6;
            took[i] = reply.json().path("took").asDouble(Double.NaN);
            List<Searches.Hit> hits = Searches.hits(reply.json());
            tally.add(hits.stream().map(Searches.Hit::shop).toList(), ownMerit.get(q), labelMerit.get(q),
                ndcg(queries.get(q), hits));
            if ((i + 1) % options.checkpoint() == 0 || i + 1 == stream.length) {
                checkpoints.add(tally.snapshot(groups));
            }
            progress.advance(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Consistency consistency = Consistency.of(tally.exposure(), tally.ownMerit(), ledger(index));
        if (consistency.holds() == false) {
            log.println("  WARNING: " + target.dataset().name() + " " + c.id() + ": the ledger does not hold what the "
                + "client counted: " + consistency);
        }
        return new ConfigRun(c, List.copyOf(checkpoints), consistency, seconds, Stats.percentile(took, 50),
            Stats.percentile(took, 99), Stats.percentile(roundTrip, 50), Stats.percentile(roundTrip, 99),
            tally.ownMerit(), tally.labelMerit(), driven);
    }

    /** The three largest shops by catalog size, the head tier and the long-tail tier of a dataset. */
    static StreamTally.Groups groups(Dataset d) {
        Set<String> largest = new LinkedHashSet<>(d.shopSizes().keySet().stream().limit(3).toList());
        Set<String> head = new LinkedHashSet<>();
        Set<String> tail = new LinkedHashSet<>();
        for (String shop : d.shopSizes().keySet()) {
            String tier = d.tier(shop);
            if (tier.equals("head")) {
                head.add(shop);
            } else if (tier.equals(Dataset.TAIL)) {
                tail.add(shop);
            }
        }
        return new StreamTally.Groups(largest, head, tail);
    }

    /** NDCG@10 of one served page by the query's labels. */
    static double ndcg(JudgedQuery q, List<Searches.Hit> hits) {
        double[] gains = new double[Math.min(K, hits.size())];
        for (int i = 0; i < gains.length; i++) {
            gains[i] = q.gain(hits.get(i).id());
        }
        return Ndcg.at(K, gains, q.judgedGains());
    }

    /** The index settings of a configuration: the cap, and the exposure mode on (or off) with its strength and target. */
    static ObjectNode settings(Config c, boolean exposure) {
        ObjectNode body = EvalIndex.JSON.createObjectNode();
        ObjectNode fair = body.putObject("index").putObject("fair_rescore");
        fair.put("mode", "cap");
        fair.put("max_per_shop", MAX_PER_SHOP);
        fair.put("cap_window", CAP_WINDOW);
        ObjectNode e = fair.putObject("exposure");
        e.put("mode", exposure ? "amortized" : "off");
        e.put("strength", c.strength());
        e.put("target", c.target());
        e.put("half_life", HALF_LIFE);
        e.put("source", "served");
        return body;
    }

    /** Empties the index's ledger on every node and checks, through a GET (which syncs), that it is empty. */
    void reset(String index) {
        JsonNode r = client.expect("DELETE", EXPOSURE_PATH + index, null).json();
        if (r.path("_nodes").path("failed").asInt(0) != 0) {
            throw new IllegalStateException("resetting the ledger of " + index + " failed on some node: " + r);
        }
        Ledger l = ledger(index);
        if (l.exposure() != 0 || l.merit() != 0 || l.shops() != 0) {
            throw new IllegalStateException("the ledger of " + index + " is not empty after DELETE: " + l);
        }
    }

    Ledger ledger(String index) {
        JsonNode j = client.expect("GET", EXPOSURE_PATH + index + "?size=10000&sort=shop", null).json();
        return parseLedger(j);
    }

    static Ledger parseLedger(JsonNode j) {
        Map<String, Double> exposure = new LinkedHashMap<>();
        Map<String, Double> merit = new LinkedHashMap<>();
        for (JsonNode s : j.path("shops")) {
            exposure.put(s.path("shop").asText(), s.path("exposure").asDouble());
            merit.put(s.path("shop").asText(), s.path("merit").asDouble());
        }
        JsonNode totals = j.path("totals");
        int shops = totals.path("shops").asInt(-1);
        if (shops != exposure.size()) {
            throw new IllegalStateException("the ledger lists " + exposure.size() + " of its " + shops + " shops");
        }
        // a shop whose merit is 0 is listed but credited none: keep only what was credited
        exposure.values().removeIf(v -> v == 0);
        merit.values().removeIf(v -> v == 0);
        return new Ledger(totals.path("exposure").asDouble(), totals.path("merit").asDouble(), shops, exposure, merit);
    }

    /** {@code fair_rescore.exposure.sync_interval} as the node applies it. */
    String syncInterval() {
        JsonNode s = client.expect("GET", "/_cluster/settings?include_defaults=true&flat_settings=true", null).json();
        for (String section : List.of("transient", "persistent", "defaults")) {
            JsonNode v = s.path(section).path(SYNC_SETTING);
            if (v.isTextual()) {
                return v.asText() + (section.equals("defaults") ? " (default)" : " (" + section + ")");
            }
        }
        return "?";
    }

    /** A time value as OpenSearch writes it ({@code 5s}, {@code 100ms}, {@code 1m}) in milliseconds; NaN if unknown. */
    static double millis(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)(nanos|micros|ms|s|m|h|d)\\b")
            .matcher(value);
        if (m.find() == false) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return v * switch (m.group(2)) {
            case "nanos" -> 1e-6;
            case "micros" -> 1e-3;
            case "ms" -> 1;
            case "s" -> 1e3;
            case "m" -> 60e3;
            case "h" -> 3600e3;
            default -> 86400e3;
        };
    }

    private List<Searches.Hit> search(String index, ObjectNode request) {
        return Searches.hits(client.expect("POST", "/" + index + "/_search", request).json());
    }

    private static List<String> ids(List<Searches.Hit> hits) {
        return hits.stream().map(Searches.Hit::id).toList();
    }

    /** Holds the stream at {@link Options#rate}: search {@code i} starts no earlier than {@code i / rate} s in. */
    private void pace(long start, int i) {
        long due = start + (long) (i * 1e9 / options.rate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** The exposure one page served, per shop. */
    static Map<String, Double> pageExposure(List<Searches.Hit> hits) {
        StreamTally t = new StreamTally(K);
        t.add(hits.stream().map(Searches.Hit::shop).toList(), Map.of(), Map.of(), Double.NaN);
        return t.exposure();
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
