package org.fairrescore.rescore;

import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.replication.ClusterStateCreationUtils;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.metadata.Metadata;
import org.opensearch.cluster.routing.ShardRoutingState;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.rescore.QueryRescorerBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

public class QueryVectorPrefetchTests extends OpenSearchTestCase {

    private static final FairSemanticRescorer RESCORER = new FairSemanticRescorer(() -> null);
    private static final IndexNameExpressionResolver RESOLVER = new IndexNameExpressionResolver(new ThreadContext(Settings.EMPTY));

    private static SearchRequest search(String index, FairSemanticRescorerBuilder... clauses) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.matchQuery("title", "red shoes"));
        for (FairSemanticRescorerBuilder clause : clauses) {
            source.addRescorer(clause);
        }
        return new SearchRequest(index).source(source);
    }

    private static FairSemanticRescorerBuilder clause(String text) {
        return new FairSemanticRescorerBuilder(RESCORER, text);
    }

    /** One index with one shard whose primary is on this node (or another) in {@code primary} state. */
    private static ClusterState state(boolean primaryHere, ShardRoutingState primary) {
        return ClusterStateCreationUtils.state("products", primaryHere, primary);
    }

    private static ClusterState withIndexWeight(ClusterState state, float weight) {
        IndexMetadata index = state.metadata().index("products");
        Settings settings = Settings.builder().put(index.getSettings()).put(FairRescoreSettings.SEMANTIC_WEIGHT.getKey(), weight).build();
        IndexMetadata changed = IndexMetadata.builder(index).settings(settings).settingsVersion(index.getSettingsVersion() + 1).build();
        return ClusterState.builder(state).metadata(Metadata.builder(state.metadata()).put(changed, true)).build();
    }

    /** A prefetcher that wants every text except {@code cached} and records what it starts. */
    private static class Recording implements QueryVectorPrefetch.Prefetcher {
        final List<String> started = new ArrayList<>();
        final List<String> cached;

        Recording(String... cached) {
            this.cached = List.of(cached);
        }

        @Override
        public boolean wants(String text) {
            return cached.contains(text) == false;
        }

        @Override
        public void start(String text) {
            started.add(text);
        }
    }

    private static List<String> texts(ClusterState state, SearchRequest search) {
        return new QueryVectorPrefetch(() -> state, () -> RESOLVER, new Recording()).textsToPrefetch(search);
    }

    public void testPrefetchesTheQueryTextWhenThisNodeHoldsAStartedShard() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(List.of("red shoes"), texts(state, search("products", clause("red shoes"))));
        assertEquals(List.of("red shoes"), texts(state, search("prod*", clause("red shoes"))));
        // one text however many clauses repeat it, in clause order
        assertEquals(List.of("red shoes", "boots"), texts(state, search("products", clause("red shoes"), clause("boots"), clause("red shoes"))));
        // a text already cached is not embedded again, and a search with only cached texts resolves no index at all
        QueryVectorPrefetch cached = new QueryVectorPrefetch(() -> state, () -> RESOLVER, new Recording("red shoes"));
        assertEquals(List.of("boots"), cached.textsToPrefetch(search("products", clause("red shoes"), clause("boots"))));
        QueryVectorPrefetch noState = new QueryVectorPrefetch(() -> { throw new AssertionError("resolved indices"); }, () -> RESOLVER, new Recording("red shoes"));
        assertEquals(List.of(), noState.textsToPrefetch(search("products", clause("red shoes"))));
    }

    public void testNothingWhenNoStartedCopyIsHere() {
        assertEquals(List.of(), texts(state(false, ShardRoutingState.STARTED), search("products", clause("red shoes"))));
        assertEquals(List.of(), texts(state(true, ShardRoutingState.INITIALIZING), search("products", clause("red shoes"))));
        assertEquals(List.of(), texts(ClusterStateCreationUtils.stateWithNoShard(), search("products", clause("red shoes"))));
    }

    public void testNothingWithoutASemanticWeight() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(List.of(), texts(state, search("products", clause("red shoes").semanticWeight(0f))));
        ClusterState lexicalIndex = withIndexWeight(state, 0f);
        assertEquals(List.of(), texts(lexicalIndex, search("products", clause("red shoes"))));
        // the clause's own weight wins over the index's
        assertEquals(List.of("red shoes"), texts(lexicalIndex, search("products", clause("red shoes").semanticWeight(0.3f))));
        assertEquals(
            List.of("boots"),
            texts(lexicalIndex, search("products", clause("red shoes"), clause("boots").semanticWeight(0.3f), clause("hats").semanticWeight(0f)))
        );
    }

    public void testNothingForSearchesWithoutAFairSemanticClause() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(List.of(), texts(state, new SearchRequest("products")));
        assertEquals(List.of(), texts(state, search("products")));
        SearchRequest stock = new SearchRequest("products").source(new SearchSourceBuilder().addRescorer(new QueryRescorerBuilder(QueryBuilders.matchAllQuery())));
        assertEquals(List.of(), texts(state, stock));
        // a point-in-time search: its indices are in the PIT id, left to the shards
        SearchRequest pit = search("products", clause("red shoes"));
        pit.source().pointInTimeBuilder(new org.opensearch.search.builder.PointInTimeBuilder("pit-id"));
        assertEquals(List.of(), texts(state, pit));
    }

    public void testTheFilterNeverStopsOrFailsASearch() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        Recording recording = new Recording();
        List<String> started = recording.started;
        QueryVectorPrefetch filter = new QueryVectorPrefetch(() -> state, () -> RESOLVER, recording);
        ActionListener<Object> listener = ActionListener.wrap(r -> fail("answered"), e -> fail("failed: " + e));

        assertTrue(filter.apply(SearchAction.NAME, search("products", clause("red shoes")), listener));
        assertEquals(List.of("red shoes"), started);
        // fair_rescore.inference.prefetch: false leaves the embedding to the shards
        filter.enabled(false);
        assertTrue(filter.apply(SearchAction.NAME, search("products", clause("boots")), listener));
        filter.enabled(true);
        // another action, an unknown index: passed on untouched
        assertTrue(filter.apply("indices:data/read/get", search("products", clause("boots")), listener));
        assertTrue(filter.apply(SearchAction.NAME, search("missing", clause("boots")), listener));
        assertEquals(List.of("red shoes"), started);

        // a full inference pool or a node without its model yet: no prefetch, the search goes on
        QueryVectorPrefetch refused = new QueryVectorPrefetch(() -> state, () -> RESOLVER, new Recording() {
            @Override
            public void start(String text) {
                throw new RejectedExecutionException("full");
            }
        });
        assertTrue(refused.apply(SearchAction.NAME, search("products", clause("red shoes")), listener));
        QueryVectorPrefetch starting = new QueryVectorPrefetch(() -> null, () -> null, new Recording());
        assertTrue(starting.apply(SearchAction.NAME, search("products", clause("red shoes")), listener));
    }
}
