package org.fairrescore.eval;

import com.fasterxml.jackson.databind.JsonNode;

import org.fairrescore.demo.CatalogGenerator;
import org.fairrescore.reliability.Http;
import org.fairrescore.eval.data.Dataset;
import org.fairrescore.eval.data.EsciGains;
import org.fairrescore.eval.data.EsciLoader;
import org.fairrescore.eval.data.SeededCatalogs;
import org.fairrescore.eval.data.WandsLoader;
import org.fairrescore.eval.data.WandsSubsetLoader;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation report: indexes the catalogs into a running node with the plugin, runs the judged queries under
 * BM25, {@code fair_semantic} without a quota and each quota mode, and writes {@code index.html}, {@code report.md}
 * and two PNG charts. {@code integration-test/report.sh} builds and starts what it needs and calls this.
 *
 * <p>When the team's WANDS subset is there ({@code ../shared/data/wands-subset} beside the repository root, or
 * {@code --wands-subset DIR}) the report ends with a real-data section ({@link RealData}, {@link RealDataSection}):
 * real products and human labels, one index per English model. It needs both {@code all-minilm-l6-v2-q} and
 * {@code bge-small-en-v15-q} loaded on the node (start it with {@code -Efair_rescore.models=all-minilm-l6-v2-q});
 * the report checks that first and fails naming the setting. {@code --no-real-data} leaves the section out.
 *
 * <p>For deciding, the seeded section and the real-data section each end with paired statistics against a baseline
 * ({@link PairedSection}: bootstrap intervals, the sign test, the queries that got worse) and strata
 * ({@link StrataSection}: query strata and shop tiers, traffic-weighted beside unweighted). {@code --sweep} adds a
 * grid of semantic weight × quota strength per mode on the WANDS subset ({@link Sweep}, {@link SweepSection}): the
 * trade-off curves, their Pareto frontiers and the frontier's {@code _settings} JSON.
 *
 * <pre>
 * EvalReport [BASE_URL] [--out DIR] [catalog options] [run options]
 *   catalogs (default: the seeded marketplace, 4 consecutive seeds from the demo's, 8 judged queries each)
 *     --seeds N  --first-seed S  --products N
 *     --esci-examples FILE --esci-products FILE  [--esci-locale us|es|jp|all] [--esci-split test|train|all]
 *       [--esci-large] [--esci-gains E=1,S=0.1,C=0.01,I=0]
 *     --wands DIR  [--wands-shop COLUMN|features:KEY]
 *     --max-queries N        (ESCI, WANDS; default 50)
 *   run
 *     --window 100 --k 10 --fields title,description --semantic-weight W (default: the index default) --max-per-shop 2 --cap-window 10
 *     --max-share 0.35 --share-min-prefix 5 --protected-share 0.5 --alpha 0.1 --repeat 1
 *     --on-the-fly           (no stored vectors: the rescorer embeds each window per search; use a small
 *                             window and title only, e.g. --window 50 --fields title)
 *     --configs bm25,semantic,cap,share,fair_topk   --keep-indices
 *   real data (a section of its own, after the seeded ones; its setup is fixed, the options above do not apply)
 *     --wands-subset DIR     (default: ../shared/data/wands-subset from the repository root, when it exists)
 *     --no-real-data
 *   replay (fairness over time, the last section; its setup is fixed too: see {@link Replay})
 *     --replay-searches 5000 --replay-checkpoint 250 --replay-catalogs 1
 *     --replay-sync-intervals 5s,1s   (one pass per interval; default: the node's fair_rescore.exposure.sync_interval)
 *     --replay-rate 100      (searches per second the stream stands for: the delay of an interval in searches)
 *     --replay-only          (the replay alone: no seeded or real-data section)
 *     --no-replay
 *   sweep (a grid of semantic weight x quota strength per mode on the WANDS subset: {@link Sweep})
 *     --sweep
 *   diversity (MMR, near duplicates and a combined rule set on the catalogs' and the WANDS subset's indices:
 *   {@link DiversityRun}, {@link DiversitySection}; on by default)
 *     --no-diversity
 * </pre>
 * The replay streams {@code --replay-searches} searches per configuration over the WANDS subset (when there is one;
 * {@code --no-real-data} does not leave it out) and over {@code --replay-catalogs} seeded catalogs (from
 * {@code --first-seed}, {@code --products} products each), under {@code cap} alone and {@code cap} with the amortized
 * exposure mode ({@link Replay#configs()}); it needs only the node's default model.
 * BASE_URL defaults to {@code http://127.0.0.1:$FR_HTTP_PORT} (9200).
 */
public final class EvalReport {

    static final String PLUGIN = "fair-rescore";
    /** Where the team keeps the WANDS subset, relative to the folder above the repository root. */
    static final Path DEFAULT_WANDS_SUBSET = Path.of("shared", "data", "wands-subset");

    /** Parsed command line. */
    record Options(String baseUrl, Path out, int seeds, long firstSeed, int products, Path esciExamples,
                   Path esciProducts, String esciLocale, String esciSplit, boolean esciLarge, EsciGains esciGains,
                   Path wands, String wandsShop, int maxQueries, RunSettings settings, List<Configuration> configs,
                   boolean keepIndices, Path wandsSubset, boolean realData, Replay.Options replay, boolean replayOnly,
                   boolean sweep, boolean diversity) {

        /** Whether the replay runs ({@code --no-replay} leaves it out). */
        boolean replays() {
            return replay != null;
        }

        static Options parse(String[] args, Map<String, String> env) {
            String baseUrl = "http://127.0.0.1:" + env.getOrDefault("FR_HTTP_PORT", "9200");
            Path out = Path.of("target", "report");
            int seeds = 4;
            long firstSeed = CatalogGenerator.DEFAULT_SEED;
            int products = CatalogGenerator.DEFAULT_PRODUCTS;
            Path esciExamples = null;
            Path esciProducts = null;
            String esciLocale = "us";
            String esciSplit = "test";
            boolean esciLarge = false;
            EsciGains gains = EsciGains.OFFICIAL;
            Path wands = null;
            String wandsShop = WandsLoader.Options.defaults().shop();
            int maxQueries = 50;
            RunSettings d = RunSettings.defaults();
            int window = d.window();
            int k = d.k();
            List<String> fields = d.fields();
            Double weight = d.semanticWeight();
            int maxPerShop = d.maxPerShop();
            int capWindow = d.capWindow();
            double maxShare = d.maxShare();
            int minPrefix = d.shareMinPrefix();
            double protectedShare = d.protectedShare();
            double alpha = d.alpha();
            int repeat = d.repeat();
            boolean stored = d.storedVectors();
            List<Configuration> configs = List.of(Configuration.values());
            boolean keep = false;
            Path wandsSubset = null;
            boolean realData = true;
            boolean noReplay = false;
            boolean replayOnly = false;
            boolean sweep = false;
            boolean diversity = true;
            int replaySearches = Replay.DEFAULT_SEARCHES;
            int replayCheckpoint = Replay.DEFAULT_CHECKPOINT;
            int replayCatalogs = Replay.DEFAULT_CATALOGS;
            List<String> replaySync = List.of();
            double replayRate = Replay.DEFAULT_RATE;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--seeds" -> seeds = positive(value(args, ++i, a), a);
                    case "--first-seed" -> firstSeed = Long.parseLong(value(args, ++i, a));
                    case "--products" -> products = positive(value(args, ++i, a), a);
                    case "--esci-examples" -> esciExamples = Path.of(value(args, ++i, a));
                    case "--esci-products" -> esciProducts = Path.of(value(args, ++i, a));
                    case "--esci-locale" -> esciLocale = all(value(args, ++i, a));
                    case "--esci-split" -> esciSplit = all(value(args, ++i, a));
                    case "--esci-large" -> esciLarge = true;
                    case "--esci-gains" -> gains = EsciGains.parse(value(args, ++i, a));
                    case "--wands" -> wands = Path.of(value(args, ++i, a));
                    case "--wands-shop" -> wandsShop = value(args, ++i, a);
                    case "--max-queries" -> maxQueries = Integer.parseInt(value(args, ++i, a));
                    case "--window" -> window = positive(value(args, ++i, a), a);
                    case "--k" -> k = positive(value(args, ++i, a), a);
                    case "--fields" -> fields = Arrays.stream(value(args, ++i, a).split(",")).map(String::strip)
                        .filter(f -> f.isEmpty() == false).toList();
                    case "--semantic-weight" -> weight = Double.parseDouble(value(args, ++i, a));
                    case "--max-per-shop" -> maxPerShop = positive(value(args, ++i, a), a);
                    case "--cap-window" -> capWindow = positive(value(args, ++i, a), a);
                    case "--max-share" -> maxShare = Double.parseDouble(value(args, ++i, a));
                    case "--share-min-prefix" -> minPrefix = positive(value(args, ++i, a), a);
                    case "--protected-share" -> protectedShare = Double.parseDouble(value(args, ++i, a));
                    case "--alpha" -> alpha = Double.parseDouble(value(args, ++i, a));
                    case "--repeat" -> repeat = positive(value(args, ++i, a), a);
                    case "--configs" -> configs = configurations(value(args, ++i, a));
                    case "--keep-indices" -> keep = true;
                    case "--on-the-fly" -> stored = false;
                    case "--wands-subset" -> wandsSubset = Path.of(value(args, ++i, a));
                    case "--no-real-data" -> realData = false;
                    case "--no-replay" -> noReplay = true;
                    case "--replay-only" -> replayOnly = true;
                    case "--sweep" -> sweep = true;
                    case "--no-diversity" -> diversity = false;
                    case "--replay-searches" -> replaySearches = positive(value(args, ++i, a), a);
                    case "--replay-checkpoint" -> replayCheckpoint = positive(value(args, ++i, a), a);
                    case "--replay-catalogs" -> replayCatalogs = Integer.parseInt(value(args, ++i, a));
                    case "--replay-rate" -> replayRate = Double.parseDouble(value(args, ++i, a));
                    case "--replay-sync-intervals" -> replaySync = Arrays.stream(value(args, ++i, a).split(","))
                        .map(String::strip).filter(x -> x.isEmpty() == false).toList();
                    default -> {
                        if (a.startsWith("http://") || a.startsWith("https://")) {
                            baseUrl = a;
                        } else {
                            throw new IllegalArgumentException("unknown argument \"" + a + "\" (see the EvalReport "
                                + "javadoc or integration-test/report.sh --help)");
                        }
                    }
                }
            }
            if ((esciExamples == null) != (esciProducts == null)) {
                throw new IllegalArgumentException("ESCI needs both --esci-examples and --esci-products");
            }
            if (noReplay && replayOnly) {
                throw new IllegalArgumentException("--no-replay and --replay-only exclude each other");
            }
            if (sweep && replayOnly) {
                throw new IllegalArgumentException("--sweep and --replay-only exclude each other");
            }
            if (replayCatalogs < 0) {
                throw new IllegalArgumentException("--replay-catalogs must be at least 0, got " + replayCatalogs);
            }
            if (wandsSubset == null) {
                wandsSubset = defaultWandsSubset(Path.of("").toAbsolutePath());
            }
            Replay.Options replay = noReplay ? null
                : new Replay.Options(replaySearches, replayCheckpoint, replayCatalogs, firstSeed, products, keep,
                    replaySync, replayRate);
            if (replay != null && wandsSubset == null && replayCatalogs == 0) {
                throw new IllegalArgumentException("the replay has no dataset: no WANDS subset (--wands-subset DIR) and "
                    + "--replay-catalogs 0");
            }
            return new Options(baseUrl, out, seeds, firstSeed, products, esciExamples, esciProducts, esciLocale,
                esciSplit, esciLarge, gains, wands, wandsShop, maxQueries, new RunSettings(window, k, fields, weight,
                maxPerShop, capWindow, maxShare, minPrefix, protectedShare, alpha, repeat, stored), configs, keep,
                wandsSubset, realData && replayOnly == false, replay, replayOnly, sweep,
                diversity && replayOnly == false);
        }

        /**
         * {@code ../shared/data/wands-subset} from the repository root (the folder holding {@code integration-test/}),
         * found from {@code dir} or one of its parents; null when there is no such folder.
         */
        static Path defaultWandsSubset(Path dir) {
            for (Path d = dir; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("integration-test").resolve("pom.xml"))) {
                    Path subset = d.resolve("..").resolve(DEFAULT_WANDS_SUBSET).normalize();
                    return Files.isDirectory(subset) ? subset : null;
                }
            }
            return null;
        }

        List<Dataset> datasets() {
            List<Dataset> out = new ArrayList<>();
            if (esciExamples != null) {
                out.add(EsciLoader.load(esciExamples, esciProducts,
                    new EsciLoader.Options(esciLocale, esciSplit, esciLarge == false, maxQueries, esciGains)));
            }
            if (wands != null) {
                out.add(WandsLoader.load(wands, new WandsLoader.Options(wandsShop, maxQueries)));
            }
            if (out.isEmpty()) {
                out.addAll(SeededCatalogs.of(firstSeed, seeds, products));
            }
            return out;
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int positive(String v, String flag) {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(flag + " must be at least 1, got " + n);
            }
            return n;
        }

        private static String all(String v) {
            return "all".equalsIgnoreCase(v) ? null : v;
        }

        static List<Configuration> configurations(String spec) {
            List<Configuration> out = new ArrayList<>();
            for (String id : spec.split(",")) {
                String want = id.strip();
                Configuration c = Arrays.stream(Configuration.values()).filter(x -> x.id().equals(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown configuration \"" + want + "\"; known: "
                        + Arrays.stream(Configuration.values()).map(Configuration::id).toList()));
                if (out.contains(c) == false) {
                    out.add(c);
                }
            }
            out.sort(null);
            return List.copyOf(out);
        }
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        try {
            run(Options.parse(args, System.getenv()), out, err);
        } catch (RuntimeException e) {
            out.flush();
            err.println("evaluation report failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static Path run(Options options, PrintStream out, PrintStream log) {
        long start = System.nanoTime();
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Http client = new Http(options.baseUrl());
        String versions = checkNode(client);
        log.println("fair-rescore evaluation against " + options.baseUrl() + " (" + versions + ")");
        // The real data first of all, so that a missing file or model fails before any indexing.
        WandsSubsetLoader.Subset subset = null;
        if (options.wandsSubset() != null && (options.realData() || options.replays() || options.sweep())) {
            subset = WandsSubsetLoader.load(options.wandsSubset());
        }
        if (options.sweep() && subset == null) {
            throw new IllegalArgumentException("--sweep runs on the WANDS subset, and there is none (put it in "
                + "../shared/data/wands-subset or name it with --wands-subset DIR)");
        }
        if (options.realData() && subset != null) {
            checkModels(client);
        }
        Path dir = options.out().toAbsolutePath().normalize();
        if (options.replayOnly()) {
            ReplaySection replay = replay(options, client, subset, log);
            double wall = (System.nanoTime() - start) / 1e9;
            replay.writeAlone(dir, List.of("Run " + started + " against " + options.baseUrl() + " (" + versions + "), "
                + String.format(Locale.ROOT, "%.0f s in all.", wall), "The replay alone (report.sh --replay-only); "
                + "report.sh without that option writes the whole report, this section included."));
            printReplay(replay, out);
            out.printf(Locale.ROOT, "%nReplay only, %.0f s. Report: %s (and report.md, %s and the PNG charts beside "
                + "it)%n", wall, dir.resolve("index.html"), ReplaySection.CSV);
            return dir;
        }
        List<Dataset> datasets = options.datasets();
        for (Dataset d : datasets) {
            log.println("  " + d.description());
        }
        RunSettings settings = options.settings();
        log.println("  " + settings.describe());
        if (options.realData() && subset != null) {
            log.println("  and real data: " + subset.description());
        }
        DiversityRun diversityRun = options.diversity() ? new DiversityRun(client, log, settings.k()) : null;
        Evaluation evaluation = new Evaluation(client, settings, log).withDiversity(diversityRun);
        Evaluation.Results results = evaluation.run(datasets, options.configs(), options.keepIndices());
        Scoring.Scored scored = new Scoring(settings).score(results);
        // The sweep runs on the real-data section's index of the default model when there is one, else loads it.
        RealDataSection realData = null;
        Sweep.Results swept = null;
        List<DiversityRun.Results> diversitySets = new ArrayList<>();
        List<String> diversityMissing = new ArrayList<>();
        if (evaluation.diversityResults() != null) {
            diversitySets.add(evaluation.diversityResults());
        } else if (evaluation.diversitySkipped() != null) {
            diversityMissing.add(evaluation.diversitySkipped());
        }
        if (options.realData() && subset != null) {
            RealData run = new RealData(client, log).withSweep(options.sweep() ? new Sweep(client, log) : null)
                .withDiversity(options.diversity() ? new DiversityRun(client, log, RealData.K) : null);
            realData = new RealDataSection(run.run(subset, options.keepIndices()));
            swept = run.sweepResults();
            if (run.diversityResults() != null) {
                diversitySets.add(run.diversityResults());
            }
        } else if (options.sweep()) {
            swept = new Sweep(client, log).run(subset, options.keepIndices());
        }
        if (options.diversity() && realData == null) {
            diversityMissing.add("No WANDS subset table: the real-data section did not run (--no-real-data, or no "
                + "subset in ../shared/data/wands-subset).");
        }
        DiversitySection diversity = diversitySets.isEmpty() && diversityMissing.isEmpty() ? null
            : new DiversitySection(diversitySets, diversityMissing);
        SweepSection sweep = swept == null ? null : new SweepSection(swept);
        ReplaySection replay = options.replays() ? replay(options, client, subset, log) : null;
        double wall = (System.nanoTime() - start) / 1e9;
        Report report = new Report(new Report.Info(started, options.baseUrl(), versions,
            datasets.stream().map(Dataset::description).toList(), settings, vectors(settings, results), wall), results,
            scored, realData, replay, sweep, diversity);
        report.write(dir);
        out.println();
        out.print(report.summary().markdown());
        if (realData != null) {
            out.println();
            out.println(RealDataSection.TITLE + ":");
            out.println();
            out.print(realData.summary().markdown());
            out.println();
            out.println("Paired statistics (real data):");
            out.println();
            out.print(realData.paired().paired().markdown());
            out.println();
            out.println("Strata (real data): query strata, then shop tiers:");
            out.println();
            out.print(realData.strata().queryStrata().markdown());
            out.println();
            out.print(realData.strata().shopTiers().markdown());
        }
        if (diversity != null) {
            for (int i = 0; i < diversity.sets().size(); i++) {
                out.println();
                out.println(DiversitySection.caption(diversity.sets().get(i)) + ":");
                out.println();
                out.print(diversity.table(i).markdown());
            }
        }
        if (sweep != null) {
            out.println();
            out.println(SweepSection.TITLE + ", the frontier:");
            out.println();
            out.print(sweep.frontier().markdown());
        }
        if (replay != null) {
            printReplay(replay, out);
        }
        out.println();
        out.printf(Locale.ROOT, "%d queries, %.0f s. Report: %s (and report.md, %s, %s beside it)%n",
            results.queries().size(), wall, dir.resolve("index.html"), Charts.NDCG_VS_SHARE, Charts.EXPOSURE_BY_RANK);
        return dir;
    }

    /** The replay over the WANDS subset (when there is one) and {@code --replay-catalogs} seeded catalogs. */
    static ReplaySection replay(Options options, Http client, WandsSubsetLoader.Subset subset, PrintStream log) {
        Replay.Options o = options.replay();
        List<Replay.Target> targets = new ArrayList<>();
        if (subset != null) {
            targets.add(Replay.wands(client, log, subset));
        } else {
            log.println("  replay: no WANDS subset (../shared/data/wands-subset or --wands-subset DIR): seeded catalogs "
                + "only");
        }
        for (Dataset d : SeededCatalogs.of(o.firstSeed(), o.catalogs(), o.products())) {
            targets.add(Replay.seeded(client, log, d));
        }
        return new ReplaySection(new Replay(client, o, log).run(targets));
    }

    static void printReplay(ReplaySection replay, PrintStream out) {
        out.println();
        out.println(ReplaySection.TITLE + ":");
        out.println();
        out.print(replay.summary().markdown());
        out.println();
        out.print(replay.goalTable().markdown());
    }

    /** How the document vectors came about, with what explain confirmed. */
    static String vectors(RunSettings settings, Evaluation.Results results) {
        int stored = results.fairExplain().values().stream().mapToInt(Searches.Explained::storedVectors).sum();
        int onTheFly = results.fairExplain().values().stream().mapToInt(Searches.Explained::onTheFly).sum();
        String how = settings.storedVectors()
            ? String.format(Locale.ROOT, "embedded once at ingest by the fair_rescore_embed processor (fields %s, "
                + "inference_batch %d) into the fair_rescore_vector field [%s]; searches embed only the query",
                settings.fields(), EvalIndex.INFERENCE_BATCH, EvalIndex.VECTOR_FIELD)
            : "embedded on the fly by the rescorer, per search, from " + settings.fields();
        if (stored + onTheFly == 0) {
            return how;
        }
        return how + String.format(Locale.ROOT, " (explain of the fair_topk top %d: %d hits scored with a stored "
            + "vector, %d embedded on the fly)", settings.k(), stored, onTheFly);
    }

    /**
     * Fails unless the node loads every model of the real-data run, naming the node setting that loads them
     * ({@code GET _plugins/_fair_rescore/stats}, {@code models.<id>}).
     */
    static void checkModels(Http client) {
        Map<String, String> missing = RealData.missingModels(client.expect("GET", "/_plugins/_fair_rescore/stats", null).json());
        if (missing.isEmpty() == false) {
            StringBuilder why = new StringBuilder();
            missing.forEach((id, reason) -> why.append(why.isEmpty() ? "" : "; ").append(id).append(": ").append(reason));
            String setting = "-Efair_rescore.models=" + String.join(",", missing.keySet());
            throw new IllegalStateException("the real-data section needs the models " + RealData.MODELS + " loaded; "
                + "the node at " + client.base() + " lacks " + missing.keySet() + " (" + why + "). Start the node "
                + "with " + setting + " (integration-test/node.sh start " + setting + "; report.sh reuses a running "
                + "node whose plugin is current), or leave the section out with --no-real-data");
        }
    }

    /** The node's OpenSearch and plugin versions; fails when the plugin is missing. */
    static String checkNode(Http client) {
        JsonNode info = client.expect("GET", "/", null).json();
        String plugin = null;
        List<String> installed = new ArrayList<>();
        for (JsonNode p : client.expect("GET", "/_cat/plugins?format=json", null).json()) {
            installed.add(p.path("component").asText());
            if (PLUGIN.equals(p.path("component").asText())) {
                plugin = p.path("version").asText();
            }
        }
        if (plugin == null) {
            throw new IllegalStateException("the node at " + client.base() + " has no " + PLUGIN + " plugin "
                + "(installed: " + installed + "); integration-test/report.sh installs it");
        }
        client.expect("GET", "/_cluster/health?wait_for_status=yellow&timeout=30s", null);
        return "OpenSearch " + info.path("version").path("number").asText("?") + ", " + PLUGIN + " " + plugin;
    }
}
