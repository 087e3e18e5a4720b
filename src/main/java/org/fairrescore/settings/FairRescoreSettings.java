package org.fairrescore.settings;

import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Setting.Property;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.MemorySizeValue;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.unit.ByteSizeValue;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the plugin, declared once with its default, range and dynamic flag.
 * Index settings ({@code index.fair_rescore.*}) are read from the index's current settings on every search, so
 * an update takes effect on the next search. Node settings ({@code fair_rescore.*}) are read at node start; the
 * dynamic ones ({@code _cluster/settings}) apply from the next request.
 */
public final class FairRescoreSettings {

    private FairRescoreSettings() {}

    // ---- index settings: index.fair_rescore.*, dynamic, read on every search ------------------------------------

    // the blend and the model

    /** Text fields embedded for documents when the clause names none. */
    public static final Setting<List<String>> TEXT_FIELDS = Setting.listSetting(
            "index.fair_rescore.text_fields",
            List.of("title"),
            Function.identity(),
            FairRescoreSettings::validateFieldList,
            Property.IndexScope,
            Property.Dynamic);

    /**
     * Weight of the semantic score in the blend; 0 keeps lexical order. 0.8 was chosen on real product data (WANDS)
     * and the seeded catalogs together, with the per-model cosine calibration (see the README's blend section).
     */
    public static final Setting<Float> SEMANTIC_WEIGHT = Setting.floatSetting(
            "index.fair_rescore.semantic_weight", 0.8f, 0f, 1f, Property.IndexScope, Property.Dynamic);

    /**
     * Constant k of the first-pass normalisation s / (s + k): a fixed, shard-independent map of any non-negative
     * first-pass score into [0, 1), so blended scores stay comparable across shards.
     */
    public static final Setting<Float> FIRST_PASS_SATURATION = Setting.floatSetting(
            "index.fair_rescore.first_pass_saturation",
            10f,
            Float.MIN_VALUE,
            1_000_000f,
            Property.IndexScope,
            Property.Dynamic);

    /**
     * The model that embeds the queries (and on-the-fly documents) of an index that names no vector field; empty (the
     * default) means the node's {@link #MODEL}. With a vector field, the field's own model is used and this is ignored.
     */
    public static final Setting<String> INDEX_MODEL = Setting.simpleString(
            "index.fair_rescore.model",
            value -> {
                if (value != null && value.isEmpty() == false && value.isBlank()) {
                    throw new IllegalArgumentException("[index.fair_rescore.model] must be a model id or empty");
                }
            },
            Property.IndexScope,
            Property.Dynamic);

    /**
     * The {@code fair_rescore_vector} field holding each document's stored vector; empty (the default) embeds every
     * window hit on the fly from {@link #TEXT_FIELDS}. Hits without a stored vector are embedded on the fly too.
     */
    public static final Setting<String> VECTOR_FIELD = Setting.simpleString(
            "index.fair_rescore.vector_field",
            value -> {
                if (value != null && value.isEmpty() == false && value.isBlank()) {
                    throw new IllegalArgumentException(
                            "[index.fair_rescore.vector_field] must be a field name or empty");
                }
            },
            Property.IndexScope,
            Property.Dynamic);

    // the quota

    /** Keyword field (with doc values) naming each document's shop; empty disables quotas. */
    public static final Setting<String> SHOP_FIELD = Setting.simpleString(
            "index.fair_rescore.shop_field",
            value -> {
                if (value != null && value.isEmpty() == false && value.isBlank()) {
                    throw new IllegalArgumentException("[index.fair_rescore.shop_field] must be a field name or empty");
                }
            },
            Property.IndexScope,
            Property.Dynamic);

    /** At most this many hits of one shop in any {@link #CAP_WINDOW} consecutive positions; 0 disables the cap. */
    public static final Setting<Integer> MAX_PER_SHOP =
            Setting.intSetting("index.fair_rescore.max_per_shop", 0, 0, 10_000, Property.IndexScope, Property.Dynamic);

    /** Length of the sliding window over which {@link #MAX_PER_SHOP} is counted. */
    public static final Setting<Integer> CAP_WINDOW =
            Setting.intSetting("index.fair_rescore.cap_window", 10, 1, 10_000, Property.IndexScope, Property.Dynamic);

    /** The fairness rules {@link #MODE} may list; several apply together (see the README's rules section). */
    public static final List<String> RULES = List.of("cap", "share", "fair_topk", "group_fair_topk");

    /** Every value {@link #MODE} may hold: a rule, or {@code none} (alone). */
    public static final List<String> MODES = List.of("cap", "share", "fair_topk", "group_fair_topk", "none");

    /**
     * Which rules the window is reordered under: one of {@code cap}, {@code share}, {@code fair_topk},
     * {@code group_fair_topk}, {@code none}, or a list of rules ({@code ["cap", "fair_topk"]}) that hold together (one
     * placement, in the priority {@code fair_topk > group_fair_topk > cap > share} where they cannot all hold). A single
     * string is a list of one and behaves as it always did.
     */
    public static final Setting<List<String>> MODE = Setting.listSetting(
            "index.fair_rescore.mode",
            List.of("cap"),
            Function.identity(),
            FairRescoreSettings::validateModes,
            Property.IndexScope,
            Property.Dynamic);

    /** Checks a {@link #MODE} list: known values, no repeats, {@code none} only alone; messages name the setting. */
    public static void validateModes(List<String> modes) {
        String key = "index.fair_rescore.mode";
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("[" + key + "] must name at least one mode, got []");
        }
        Set<String> seen = new HashSet<>();
        for (String mode : modes) {
            if (MODES.contains(mode) == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT, "[%s] must be one of %s or a list of %s, got [%s]", key, MODES, RULES, mode));
            }
            if (seen.add(mode) == false) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "[%s] lists [%s] twice in %s", key, mode, modes));
            }
        }
        if (modes.size() > 1 && modes.contains("none")) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "[%s] lists [none] with other rules in %s: use [none] alone", key, modes));
        }
    }

    /** {@code share}: the largest share of position-weighted exposure one shop may hold in a prefix. */
    public static final Setting<Double> MAX_SHARE = Setting.doubleSetting(
            "index.fair_rescore.max_share", 0.3, Double.MIN_VALUE, 1.0, Property.IndexScope, Property.Dynamic);

    /** {@code share}: the first prefix length the share ceiling applies to. */
    public static final Setting<Integer> SHARE_MIN_PREFIX = Setting.intSetting(
            "index.fair_rescore.share_min_prefix", 5, 1, 10_000, Property.IndexScope, Property.Dynamic);

    /** {@code fair_topk}: keyword field that marks protected documents. */
    public static final Setting<String> PROTECTED_FIELD =
            Setting.simpleString("index.fair_rescore.protected_field", Property.IndexScope, Property.Dynamic);

    /** {@code fair_topk}: the value of {@link #PROTECTED_FIELD} that makes a document protected. */
    public static final Setting<String> PROTECTED_VALUE =
            Setting.simpleString("index.fair_rescore.protected_value", Property.IndexScope, Property.Dynamic);

    /** {@code fair_topk}: FA*IR's minimum proportion p of protected hits, strictly between 0 and 1. */
    public static final Setting<Double> PROTECTED_SHARE = Setting.doubleSetting(
            "index.fair_rescore.protected_share",
            0.2,
            Double.MIN_VALUE,
            Math.nextDown(1.0),
            Property.IndexScope,
            Property.Dynamic);

    /** {@code fair_topk} and {@code group_fair_topk}: FA*IR's significance alpha, strictly between 0 and 1 (adjusted for multiple tests). */
    public static final Setting<Double> ALPHA = Setting.doubleSetting(
            "index.fair_rescore.alpha",
            0.1,
            Double.MIN_VALUE,
            Math.nextDown(1.0),
            Property.IndexScope,
            Property.Dynamic);

    // several protected groups (group_fair_topk)

    /** Most protected groups {@code group_fair_topk} takes (its multinomial m-table grows with their number). */
    public static final int MAX_GROUPS = 3;

    /** {@code group_fair_topk}: keyword field (with doc values) whose values are the groups. */
    public static final Setting<String> GROUP_FIELD = Setting.simpleString(
            "index.fair_rescore.groups.field",
            value -> {
                if (value != null && value.isEmpty() == false && value.isBlank()) {
                    throw new IllegalArgumentException(
                            "[index.fair_rescore.groups.field] must be a field name or empty");
                }
            },
            Property.IndexScope,
            Property.Dynamic);

    /**
     * {@code group_fair_topk}: the minimum proportion of each protected group, one setting per value of
     * {@link #GROUP_FIELD} ({@code index.fair_rescore.groups.minimums.tail: 0.3}), each strictly between 0 and 1, at most
     * {@link #MAX_GROUPS} of them summing to less than 1 (checked on search, 400 naming the setting). The significance is
     * {@link #ALPHA}.
     */
    public static final Setting.AffixSetting<Double> GROUP_MINIMUMS = Setting.prefixKeySetting(
            "index.fair_rescore.groups.minimums.",
            key -> Setting.doubleSetting(
                    key, 0.1, Double.MIN_VALUE, Math.nextDown(1.0), Property.IndexScope, Property.Dynamic));

    // diversity (MMR and near duplicates)

    /**
     * MMR weight of the blend against redundancy: each position takes the hit maximising
     * {@code lambda * blend - (1 - lambda) * max cosine to the hits above}; 1 (the default) turns MMR off.
     */
    public static final Setting<Double> DIVERSITY_LAMBDA = Setting.doubleSetting(
            "index.fair_rescore.diversity.lambda", 1.0, 0.0, 1.0, Property.IndexScope, Property.Dynamic);

    /**
     * Cosine to a higher hit at or above which a hit is a near duplicate and moves below the other hits; 1 (the
     * default) turns it off.
     */
    public static final Setting<Double> DIVERSITY_DUPLICATE_THRESHOLD = Setting.doubleSetting(
            "index.fair_rescore.diversity.duplicate_threshold",
            1.0,
            Double.MIN_VALUE,
            1.0,
            Property.IndexScope,
            Property.Dynamic);

    /**
     * Positions diversified from the top of the window; 0: the whole window. The default, 20, covers two pages of ten
     * (what Elasticsearch's and OpenSearch's MMR diversify is the page returned, not the window): MMR costs about
     * {@code depth^2 / 2} dot products, so diversifying a whole 500-hit window costs tens of milliseconds where 20
     * positions cost a tenth of a millisecond, and near duplicates still leave the pages the user sees.
     */
    public static final Setting<Integer> DIVERSITY_DEPTH = Setting.intSetting(
            "index.fair_rescore.diversity.depth", 20, 0, 10_000, Property.IndexScope, Property.Dynamic);

    /** Whether a rescore clause may override the quota parameters of this index. */
    public static final Setting<Boolean> ALLOW_REQUEST_OVERRIDE = new Setting<>(
            "index.fair_rescore.allow_request_override",
            "false",
            value -> switch (value) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default ->
                    throw new IllegalArgumentException(
                            "[index.fair_rescore.allow_request_override] must be [true] or [false], got [" + value
                                    + "]");
            },
            Property.IndexScope,
            Property.Dynamic);

    // exposure over time (amortized across searches)

    public static final List<String> EXPOSURE_MODES = List.of("off", "amortized");

    /**
     * {@code amortized}: each window hit's blend gets a bounded boost from its shop's exposure deficit over the
     * traffic (the index's exposure ledger), before the per-search quota applies; {@code off} records and boosts nothing.
     */
    public static final Setting<String> EXPOSURE_MODE = Setting.simpleString(
            "index.fair_rescore.exposure.mode",
            "off",
            value -> oneOf("index.fair_rescore.exposure.mode", value, EXPOSURE_MODES.toArray(String[]::new)),
            Property.IndexScope,
            Property.Dynamic);

    /**
     * How hard the deficit pushes: a shop at full deficit gets {@code strength * 0.1} added to its hits' blends (a
     * surplus as much taken off). 0.6 was chosen with the replay on WANDS and the seeded catalogs (README).
     */
    public static final Setting<Double> EXPOSURE_STRENGTH = Setting.doubleSetting(
            "index.fair_rescore.exposure.strength", 0.6, 0.0, 1.0, Property.IndexScope, Property.Dynamic);

    /** {@code merit}: exposure proportional to each shop's merit; {@code uniform}: equal among shops seen in windows. */
    public static final Setting<String> EXPOSURE_TARGET = Setting.simpleString(
            "index.fair_rescore.exposure.target",
            "merit",
            value -> oneOf("index.fair_rescore.exposure.target", value, "merit", "uniform"),
            Property.IndexScope,
            Property.Dynamic);

    /** Exposure and merit lose half their weight in this time, so the ledger follows today's traffic. */
    public static final Setting<TimeValue> EXPOSURE_HALF_LIFE = Setting.timeSetting(
            "index.fair_rescore.exposure.half_life",
            TimeValue.timeValueHours(1),
            TimeValue.timeValueSeconds(1),
            Property.IndexScope,
            Property.Dynamic);

    /**
     * {@code served}: the coordinating node counts the ranks it serves; {@code feedback}: only impressions reported to
     * {@code _feedback} count (for front ends that render something else than what was served), and clicks add merit.
     */
    public static final Setting<String> EXPOSURE_SOURCE = Setting.simpleString(
            "index.fair_rescore.exposure.source",
            "served",
            value -> oneOf("index.fair_rescore.exposure.source", value, "served", "feedback"),
            Property.IndexScope,
            Property.Dynamic);

    // ---- node settings: fair_rescore.*, read at node start; the dynamic ones through _cluster/settings ------------

    // models and inference

    /**
     * The node's default model when none is configured: chosen by measurement on real product data (WANDS) and the
     * seeded catalogs, see the README's section on models.
     */
    public static final String DEFAULT_MODEL = "bge-small-en-v15-q";

    /**
     * The node's default model: loaded at start, bound to new {@code fair_rescore_vector} fields whose mapping names no
     * model, and used for the queries of indices without a vector field and without {@link #INDEX_MODEL}. Unknown ids
     * fail node start, listing the ids.
     */
    public static final Setting<String> MODEL = Setting.simpleString(
            "fair_rescore.model",
            DEFAULT_MODEL,
            value -> {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException("[fair_rescore.model] must name a bundled model id");
                }
            },
            Property.NodeScope);

    /**
     * Further models the node loads at start, beside {@link #MODEL}: every model a vector field of a searched index
     * is bound to (or an index's {@link #INDEX_MODEL}) must be loaded on the nodes holding its shards. Unknown ids fail
     * node start, listing the ids.
     */
    public static final Setting<List<String>> MODELS = Setting.listSetting(
            "fair_rescore.models",
            List.of(),
            Function.identity(),
            ids -> {
                for (String id : ids) {
                    if (id == null || id.isBlank()) {
                        throw new IllegalArgumentException("[fair_rescore.models] holds an empty model id in " + ids);
                    }
                }
            },
            Property.NodeScope);

    /**
     * Folder of extra models (one sub-folder per model id, laid out like the bundled ones), relative to the node's
     * config folder, which it must stay inside. Models there can be chosen with {@link #MODEL}.
     */
    public static final Setting<String> MODELS_PATH = Setting.simpleString(
            "fair_rescore.models_path",
            "fair-rescore/models",
            value -> {
                if (value == null || value.isBlank()) {
                    throw new IllegalArgumentException(
                            "[fair_rescore.models_path] must be a folder relative to the node's config folder");
                }
            },
            Property.NodeScope);

    /** Intra-op threads of the ONNX Runtime session (one session per node). */
    public static final Setting<Integer> INFERENCE_THREADS =
            Setting.intSetting("fair_rescore.inference.threads", 1, 1, 64, Property.NodeScope);

    /** Where ONNX Runtime runs: {@code cpu} or {@code cuda} (needs the plugin built with {@code -Pcuda} and a GPU). */
    public static final Setting<String> INFERENCE_DEVICE = Setting.simpleString(
            "fair_rescore.inference.device",
            "cpu",
            value -> oneOf("fair_rescore.inference.device", value, "cpu", "cuda"),
            Property.NodeScope);

    /**
     * What to do when {@link #INFERENCE_DEVICE} is {@code cuda} and no GPU is usable: {@code none} fails node start,
     * {@code cpu} runs on the CPU and logs a warning.
     */
    public static final Setting<String> INFERENCE_DEVICE_FALLBACK = Setting.simpleString(
            "fair_rescore.inference.device_fallback",
            "none",
            value -> oneOf("fair_rescore.inference.device_fallback", value, "none", "cpu"),
            Property.NodeScope);

    /** Which GPU {@code cuda} uses. */
    public static final Setting<Integer> INFERENCE_CUDA_DEVICE_ID =
            Setting.intSetting("fair_rescore.inference.cuda_device_id", 0, 0, 64, Property.NodeScope);

    /**
     * How long the inference of one shard request (its query vector and its on-the-fly document vectors) may take,
     * counted from the start of the rescore; past it the window is scored by its first-pass score alone (the quota
     * still applies), explain says so and the stats count a timeout. Running inference is stopped.
     */
    public static final Setting<TimeValue> INFERENCE_TIMEOUT = Setting.timeSetting(
            "fair_rescore.inference.timeout",
            TimeValue.timeValueSeconds(2),
            TimeValue.timeValueMillis(1),
            Property.NodeScope,
            Property.Dynamic);

    /**
     * Whether a node that coordinates a search and holds one of its shards starts embedding the query text as the
     * search arrives (overlapping coordination and the first pass), rather than when its shard request is parsed.
     */
    public static final Setting<Boolean> INFERENCE_PREFETCH =
            Setting.boolSetting("fair_rescore.inference.prefetch", true, Property.NodeScope, Property.Dynamic);

    // document vectors, caches and memory

    /**
     * Window hits per shard request that may be embedded on the fly (no stored vector), best first-pass hits first;
     * the rest get a neutral cosine, which explain says. 0 turns on-the-fly embedding off.
     */
    public static final Setting<Integer> MAX_ON_THE_FLY_DOCS = Setting.intSetting(
            "fair_rescore.max_on_the_fly_docs", 100, 0, 10_000, Property.NodeScope, Property.Dynamic);

    /** Heap for the node's cache of query vectors (bytes, or a percentage of the heap); 0 disables it. */
    public static final Setting<ByteSizeValue> QUERY_CACHE_SIZE =
            nonNegativeMemorySize("fair_rescore.cache.query.size", "1%");

    /**
     * Heap for the node's cache of document vectors embedded on the fly (bytes, or a percentage of the heap); entries
     * of a segment are dropped when the segment closes. 0 disables it.
     */
    public static final Setting<ByteSizeValue> DOCUMENT_CACHE_SIZE =
            nonNegativeMemorySize("fair_rescore.cache.documents.size", "2%");

    /**
     * Limit of the {@code fair_rescore} circuit breaker (bytes, or a percentage of the heap): the vector caches, the
     * vectors and texts of rescore windows in flight and ingest batches are accounted to it; a request that would
     * pass it answers 429. A child of OpenSearch's parent breaker, like {@code request} and {@code fielddata}.
     */
    public static final Setting<ByteSizeValue> BREAKER_LIMIT =
            nonNegativeMemorySize("fair_rescore.breaker.limit", "10%");

    // exposure ledgers

    /** Most shops one exposure ledger keeps per index (each node's own, and each copy of a peer's); the least recently updated go. */
    public static final Setting<Integer> EXPOSURE_MAX_SHOPS = Setting.intSetting(
            "fair_rescore.exposure.max_shops", 100_000, 1, 10_000_000, Property.NodeScope, Property.Dynamic);

    /**
     * How often each node copies the other nodes' exposure ledgers, rebuilds the view its rescorer reads and persists
     * its own ledger (at most this much is lost when a node crashes).
     */
    public static final Setting<TimeValue> EXPOSURE_SYNC_INTERVAL = Setting.timeSetting(
            "fair_rescore.exposure.sync_interval",
            TimeValue.timeValueSeconds(5),
            TimeValue.timeValueMillis(100),
            Property.NodeScope,
            Property.Dynamic);

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * A dynamic node-scope memory size (bytes or % of heap) that refuses negative values with a 400 naming the setting.
     * {@link Setting#memorySizeSetting} alone accepts "-1" (unbounded, for core's breakers); a cache then threw while
     * the cluster state was applied, which left the node without a cluster manager, also after a restart.
     */
    private static Setting<ByteSizeValue> nonNegativeMemorySize(String key, String defaultValue) {
        return new Setting<>(
                key,
                s -> defaultValue,
                value -> {
                    ByteSizeValue parsed;
                    try {
                        parsed = MemorySizeValue.parseBytesSizeValueOrHeapRatio(value, key);
                    } catch (RuntimeException e) {
                        // core's "percentage should be in [0-100], got [200]" does not say which setting
                        throw e.getMessage() != null && e.getMessage().contains(key)
                                ? e
                                : new IllegalArgumentException("[" + key + "] " + e.getMessage(), e);
                    }
                    if (parsed.getBytes() < 0) {
                        throw new IllegalArgumentException(
                                "[" + key + "] must be at least 0 bytes, got [" + value + "]");
                    }
                    return parsed;
                },
                Property.NodeScope,
                Property.Dynamic);
    }

    private static void oneOf(String key, String value, String... allowed) {
        if (List.of(allowed).contains(value) == false) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "[%s] must be one of %s, got [%s]", key, List.of(allowed), value));
        }
    }

    public static List<Setting<?>> all() {
        return List.of(
                TEXT_FIELDS,
                SEMANTIC_WEIGHT,
                FIRST_PASS_SATURATION,
                INDEX_MODEL,
                VECTOR_FIELD,
                SHOP_FIELD,
                MAX_PER_SHOP,
                CAP_WINDOW,
                MODE,
                MAX_SHARE,
                SHARE_MIN_PREFIX,
                PROTECTED_FIELD,
                PROTECTED_VALUE,
                PROTECTED_SHARE,
                ALPHA,
                GROUP_FIELD,
                GROUP_MINIMUMS,
                DIVERSITY_LAMBDA,
                DIVERSITY_DUPLICATE_THRESHOLD,
                DIVERSITY_DEPTH,
                ALLOW_REQUEST_OVERRIDE,
                EXPOSURE_MODE,
                EXPOSURE_STRENGTH,
                EXPOSURE_TARGET,
                EXPOSURE_HALF_LIFE,
                EXPOSURE_SOURCE,
                MODEL,
                MODELS,
                MODELS_PATH,
                INFERENCE_THREADS,
                INFERENCE_DEVICE,
                INFERENCE_DEVICE_FALLBACK,
                INFERENCE_CUDA_DEVICE_ID,
                INFERENCE_TIMEOUT,
                INFERENCE_PREFETCH,
                MAX_ON_THE_FLY_DOCS,
                QUERY_CACHE_SIZE,
                DOCUMENT_CACHE_SIZE,
                BREAKER_LIMIT,
                EXPOSURE_MAX_SHOPS,
                EXPOSURE_SYNC_INTERVAL);
    }

    private static void validateFieldList(List<String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("[index.fair_rescore.text_fields] must name at least one text field");
        }
        for (String field : fields) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT, "[index.fair_rescore.text_fields] holds an empty field name in %s", fields));
            }
        }
    }

    /**
     * The blend settings of one index, as read for one search: the text fields, the semantic weight and the first-pass
     * saturation (the quota's settings are read by {@code ResolvedQuota}, the model's by the rescore builder).
     */
    public record IndexView(List<String> textFields, float semanticWeight, float firstPassSaturation) {

        private static final ParsedCache<Settings, IndexView> VIEWS = new ParsedCache<>(256);

        /** The view of {@code indexSettings}, parsed once per settings object. */
        public static IndexView of(Settings indexSettings) {
            return VIEWS.get(indexSettings, IndexView::parse);
        }

        static IndexView parse(Settings indexSettings) {
            return new IndexView(
                    TEXT_FIELDS.get(indexSettings),
                    SEMANTIC_WEIGHT.get(indexSettings),
                    FIRST_PASS_SATURATION.get(indexSettings));
        }
    }
}
