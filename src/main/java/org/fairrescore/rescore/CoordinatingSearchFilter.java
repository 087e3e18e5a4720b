package org.fairrescore.rescore;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.settings.FairRescoreSettings;
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

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Starts embedding a search's {@code fair_semantic} query text as soon as the search reaches this node, before the
 * request is rewritten and its shard requests are sent, so that the inference overlaps everything up to the rescore
 * (coordination, the hop to the search thread pool, the first pass) instead of only the first pass. The vector lands
 * in the node's query-vector cache, where this node's shard requests find it (or the load still in flight: concurrent
 * identical texts are embedded once).
 *
 * <p>It only starts work that this node's own shards will use: nothing when this node holds no started copy of a
 * target index, when the clause's weight (or, without one, every local target index's
 * {@code index.fair_rescore.semantic_weight}) is 0, or when the model is not loaded. It never fails or delays a
 * search: anything it cannot resolve (unknown index, remote cluster, pool full) means no prefetch, and the shards
 * embed the text themselves as before.
 */
public final class QueryVectorPrefetch extends ActionFilter.Simple {

    private static final Logger logger = LogManager.getLogger(QueryVectorPrefetch.class);

    /** After the filters that authorise or reject requests (security runs first), before most others. */
    static final int ORDER = 100;

    /** What starts the node's query embeddings. */
    public interface Prefetcher {
        /** Whether {@code text} would be embedded at all (model loaded, query cache on, vector not cached yet): cheap. */
        boolean wants(String text);

        /**
         * Starts embedding {@code text} into the node's query-vector cache, without waiting; it may throw when the
         * inference pool refuses the work, which only means no prefetch.
         */
        void start(String text);
    }

    private final Supplier<ClusterState> state;
    private final Supplier<IndexNameExpressionResolver> resolver;
    private final Prefetcher prefetch;
    private volatile boolean enabled = true;

    /**
     * @param state    the node's current cluster state
     * @param resolver resolves the request's index expressions (null until the node has started)
     * @param prefetch starts the node's query embeddings
     */
    public QueryVectorPrefetch(Supplier<ClusterState> state, Supplier<IndexNameExpressionResolver> resolver, Prefetcher prefetch) {
        this.state = state;
        this.resolver = resolver;
        this.prefetch = prefetch;
    }

    /** Turns the prefetch on or off ({@code fair_rescore.inference.prefetch}). */
    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    protected boolean apply(String action, ActionRequest request, ActionListener<?> listener) {
        if (enabled && SearchAction.NAME.equals(action) && request instanceof SearchRequest search) {
            try {
                for (String text : textsToPrefetch(search)) {
                    prefetch.start(text);
                }
            } catch (RuntimeException e) {
                // an optimisation only: the shards embed the text themselves (and report any real problem)
                logger.debug("fair_semantic: query vector not prefetched", e);
            }
        }
        return true;
    }

    /** The query texts of {@code search} that this node's shards will embed (in clause order, without repeats). */
    List<String> textsToPrefetch(SearchRequest search) {
        SearchSourceBuilder source = search.source();
        // a point-in-time search names its indices in the PIT id, not in the request: left to the shards
        if (source == null || source.rescores() == null || source.rescores().isEmpty() || source.pointInTimeBuilder() != null) {
            return List.of();
        }
        List<FairSemanticRescorerBuilder> clauses = new ArrayList<>();
        boolean needIndexWeight = false;
        for (RescorerBuilder<?> rescorer : source.rescores()) {
            // a text whose vector is cached (the common case for popular queries) costs no index resolution
            if (rescorer instanceof FairSemanticRescorerBuilder clause && clause.queryText() != null
                && (clause.semanticWeight() == null || clause.semanticWeight() > 0f) && prefetch.wants(clause.queryText())) {
                clauses.add(clause);
                needIndexWeight |= clause.semanticWeight() == null;
            }
        }
        if (clauses.isEmpty()) {
            return List.of();
        }
        ClusterState current = state.get();
        IndexNameExpressionResolver names = resolver.get();
        DiscoveryNode local = current == null ? null : current.nodes().getLocalNode();
        if (names == null || local == null) {
            return List.of();
        }
        // Does this node hold a started copy of a target index (and, for clauses without a weight of their own, one
        // whose index.fair_rescore.semantic_weight is above 0)? Stops at the first index that settles it.
        boolean anyLocal = false;
        boolean anyLocalSemantic = false;
        for (String index : names.concreteIndexNames(current, search)) {
            IndexMetadata metadata = current.metadata().index(index);
            if (metadata == null || holdsStartedCopy(current.routingTable().index(index), local.getId()) == false) {
                continue;
            }
            anyLocal = true;
            if (FairRescoreSettings.IndexView.of(metadata.getSettings()).semanticWeight() > 0f) {
                anyLocalSemantic = true;
            }
            if (needIndexWeight == false || anyLocalSemantic) {
                break;
            }
        }
        if (anyLocal == false) {
            return List.of();
        }
        Set<String> texts = new LinkedHashSet<>();
        for (FairSemanticRescorerBuilder clause : clauses) {
            if (clause.semanticWeight() != null || anyLocalSemantic) {
                texts.add(clause.queryText());
            }
        }
        return List.copyOf(texts);
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
