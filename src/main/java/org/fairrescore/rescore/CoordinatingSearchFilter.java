package org.fairrescore.rescore;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.settings.ParsedCache;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.routing.IndexRoutingTable;
import org.opensearch.cluster.routing.IndexShardRoutingTable;
import org.opensearch.cluster.routing.ShardRouting;
import org.opensearch.core.action.ActionListener;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.rescore.RescorerBuilder;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the coordinating node does for a search's {@code fair_semantic} clauses before the search fans out to the
 * shards (an action filter on {@code indices:data/read/search}):
 *
 * <ol>
 *   <li><b>One query model for the whole search.</b> Each shard would otherwise pick the model from its own index
 *       settings, and a search that straddles an admin's switch of {@code index.fair_rescore.vector_field} (or
 *       {@code index.fair_rescore.model}) could embed its query with one model on some shards and another on the rest,
 *       merging scores of two models. When every searched index resolves to the same model in this node's cluster
 *       state, a clause that names no {@code model} is replaced by a copy naming it; a shard whose vector field holds
 *       another model's vectors then embeds its hits on the fly rather than compare them (explain says so). Indices
 *       that resolve to different models are left to their shards.</li>
 *   <li><b>The query embedding starts now</b>, before the request is rewritten and its shard requests are sent, so
 *       that the inference overlaps everything up to the rescore (coordination, the hop to the search thread pool, the
 *       first pass) instead of only the first pass. The vector lands in the node's query-vector cache, where this
 *       node's shard requests find it (or the load still in flight: concurrent identical texts are embedded once). It
 *       only starts work that this node's own shards will use: nothing when this node holds no started copy of a target
 *       index, when the clause's weight (or, without one, every local target index's
 *       {@code index.fair_rescore.semantic_weight}) is 0, or when the model is not loaded here.</li>
 * </ol>
 * It never fails or delays a search: anything it cannot resolve (unknown index, remote cluster, point in time, pool
 * full) means no pin and no prefetch, and the shards decide and embed as before.
 */
public final class CoordinatingSearchFilter extends ActionFilter.Simple {

    private static final Logger logger = LogManager.getLogger(CoordinatingSearchFilter.class);

    /** After the filters that authorise or reject requests (security runs first), before most others. */
    static final int ORDER = 100;

    /** What starts the node's query embeddings. */
    public interface Prefetcher {
        /** Whether {@code text} would be embedded with {@code model} (loaded here, query cache on, not cached yet): cheap. */
        boolean wants(String model, String text);

        /**
         * Starts embedding {@code text} with {@code model} into the node's query-vector cache, without waiting; it may
         * throw when the inference pool refuses the work, which only means no prefetch.
         */
        void start(String model, String text);
    }

    /** How one index's queries are embedded: the model (null when it cannot be told here) and whether its weight is above 0. */
    record IndexModel(String model, boolean semantic) {}

    /** The searched indices as this node sees them. */
    record Targets(String commonModel, boolean anyLocal, boolean anyLocalSemantic) {
        static final Targets NONE = new Targets(null, false, false);
    }

    private final Supplier<ClusterState> state;
    private final Supplier<IndexNameExpressionResolver> resolver;
    private final Supplier<String> defaultModel;
    private final Supplier<Prefetcher> prefetch;
    private final ParsedCache<IndexMetadata, IndexModel> models = new ParsedCache<>(1024);
    private volatile boolean enabled = true;

    /**
     * @param state        the node's current cluster state
     * @param resolver     resolves the request's index expressions (null until the node has started)
     * @param defaultModel this node's default model ({@code fair_rescore.model}), null until the node has started
     * @param prefetch     starts the node's query embeddings (null until the node has started)
     */
    public CoordinatingSearchFilter(
            Supplier<ClusterState> state,
            Supplier<IndexNameExpressionResolver> resolver,
            Supplier<String> defaultModel,
            Supplier<Prefetcher> prefetch) {
        this.state = state;
        this.resolver = resolver;
        this.defaultModel = defaultModel;
        this.prefetch = prefetch;
    }

    /** Turns the prefetch on or off ({@code fair_rescore.inference.prefetch}); the model pin stays on. */
    public void prefetch(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
        if (SearchAction.NAME.equals(action) && request instanceof SearchRequest search) {
            try {
                Prefetcher starter = prefetch.get();
                for (Prefetch p : prepare(search)) {
                    starter.start(p.model, p.text);
                }
            } catch (RuntimeException e) {
                // the pin and the prefetch only help: the shards resolve their model and embed the text themselves
                logger.debug("fair_semantic: query model not pinned or query vector not prefetched", e);
            }
        }
        return true;
    }

    /** A query text to embed ahead, with its model. */
    record Prefetch(String model, String text) {}

    /**
     * Pins the query model of each {@code fair_semantic} clause of {@code search} that names none (replacing the clause
     * in the request's source) and returns the texts this node's shards will embed, in clause order, without repeats.
     */
    List<Prefetch> prepare(SearchRequest search) {
        SearchSourceBuilder source = search.source();
        // a point-in-time search names its indices in the PIT id, not in the request: left to the shards
        if (source == null
                || source.rescores() == null
                || source.rescores().isEmpty()
                || source.pointInTimeBuilder() != null) {
            return List.of();
        }
        List<RescorerBuilder> rescores = source.rescores();
        Targets targets = null;
        Prefetcher starter = prefetch.get();
        Set<Prefetch> texts = new LinkedHashSet<>();
        for (int i = 0; i < rescores.size(); i++) {
            if (rescores.get(i) instanceof FairSemanticRescorerBuilder clause && clause.queryText() != null) {
                if (targets == null) {
                    targets = targets(search);
                }
                if (clause.model() == null && targets.commonModel() != null) {
                    clause = clause.withModelOfIndices(targets.commonModel());
                    rescores.set(i, clause);
                }
                boolean semantic =
                        clause.semanticWeight() == null ? targets.anyLocalSemantic() : clause.semanticWeight() > 0f;
                if (enabled
                        && starter != null
                        && targets.anyLocal()
                        && semantic
                        && clause.model() != null
                        && starter.wants(clause.model(), clause.queryText())) {
                    texts.add(new Prefetch(clause.model(), clause.queryText()));
                }
            }
        }
        return List.copyOf(texts);
    }

    /** The concrete indices of {@code search}: their common model, and whether this node holds a started copy of one. */
    Targets targets(SearchRequest search) {
        ClusterState current = state.get();
        IndexNameExpressionResolver names = resolver.get();
        String nodeDefault = defaultModel.get();
        DiscoveryNode local = current == null ? null : current.nodes().getLocalNode();
        if (names == null || local == null || nodeDefault == null) {
            return Targets.NONE;
        }
        String common = null;
        boolean agree = true;
        boolean anyLocal = false;
        boolean anyLocalSemantic = false;
        String[] indices = names.concreteIndexNames(current, search);
        for (String index : indices) {
            IndexMetadata metadata = current.metadata().index(index);
            if (metadata == null) {
                agree = false;
                continue;
            }
            IndexModel model = model(metadata, nodeDefault);
            if (model.model() == null || (common != null && common.equals(model.model()) == false)) {
                agree = false;
            }
            common = common == null ? model.model() : common;
            if (holdsStartedCopy(current.routingTable().index(index), local.getId())) {
                anyLocal = true;
                anyLocalSemantic |= model.semantic();
            }
        }
        return new Targets(agree && indices.length > 0 ? common : null, anyLocal, anyLocalSemantic);
    }

    /** How {@code metadata}'s queries are embedded, resolved once per index metadata object (replaced on every change). */
    IndexModel model(IndexMetadata metadata, String nodeDefault) {
        return models.get(metadata, m -> {
            String model;
            String vectorField = FairRescoreSettings.VECTOR_FIELD.get(m.getSettings());
            if (vectorField.isEmpty() == false) {
                model = m.mapping() == null
                        ? null
                        : VectorFieldMapper.boundModel(m.mapping().sourceAsMap(), vectorField);
            } else {
                String configured = FairRescoreSettings.INDEX_MODEL.get(m.getSettings());
                model = configured.isEmpty() ? nodeDefault : configured;
            }
            return new IndexModel(
                    model, FairRescoreSettings.IndexView.of(m.getSettings()).semanticWeight() > 0f);
        });
    }

    private static boolean holdsStartedCopy(IndexRoutingTable routing, String nodeId) {
        if (routing == null) {
            return false;
        }
        for (IndexShardRoutingTable shard : routing) {
            for (ShardRouting copy : shard) {
                if (copy.started() && nodeId.equals(copy.currentNodeId())) {
                    return true;
                }
            }
        }
        return false;
    }
}
