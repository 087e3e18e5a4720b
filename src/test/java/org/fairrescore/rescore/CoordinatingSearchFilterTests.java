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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The coordinating node's filter: the query model pinned for every shard of a search, and the query embedding started
 * early where this node's shards will use it.
 */
public class CoordinatingSearchFilterTests extends OpenSearchTestCase {

    private static final FairSemanticRescorer RESCORER = TestRescorers.rescorer(null);
    private static final String NODE_DEFAULT = "bge-small-en-v15-q";
    private static final IndexNameExpressionResolver RESOLVER =
            new IndexNameExpressionResolver(new ThreadContext(Settings.EMPTY));

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
        Settings settings = Settings.builder()
                .put(index.getSettings())
                .put(FairRescoreSettings.SEMANTIC_WEIGHT.getKey(), weight)
                .build();
        IndexMetadata changed = IndexMetadata.builder(index)
                .settings(settings)
                .settingsVersion(index.getSettingsVersion() + 1)
                .build();
        return ClusterState.builder(state)
                .metadata(Metadata.builder(state.metadata()).put(changed, true))
                .build();
    }

    /** An index's settings changed: its vector field, its model, its weight. */
    private static ClusterState withIndexSettings(
            ClusterState state, String index, Settings.Builder changes, String mapping) throws Exception {
        IndexMetadata metadata = state.metadata().index(index);
        Settings settings = Settings.builder()
                .put(metadata.getSettings())
                .put(changes.build())
                .build();
        IndexMetadata.Builder changed =
                IndexMetadata.builder(metadata).settings(settings).settingsVersion(metadata.getSettingsVersion() + 1);
        if (mapping != null) {
            changed.putMapping(mapping).mappingVersion(metadata.getMappingVersion() + 1);
        }
        return ClusterState.builder(state)
                .metadata(Metadata.builder(state.metadata()).put(changed.build(), true))
                .build();
    }

    private static String vectorMapping(String... fieldsAndModels) {
        StringBuilder json = new StringBuilder("{\"properties\":{\"title\":{\"type\":\"text\"}");
        for (int i = 0; i < fieldsAndModels.length; i += 2) {
            json.append(",\"")
                    .append(fieldsAndModels[i])
                    .append("\":{\"type\":\"fair_rescore_vector\",\"model\":\"")
                    .append(fieldsAndModels[i + 1])
                    .append("\",\"dims\":384}");
        }
        return json.append("}}").toString();
    }

    /** A prefetcher that wants every text except {@code cached} and records what it starts, as model/text. */
    private static class Recording implements CoordinatingSearchFilter.Prefetcher {
        final List<String> started = new ArrayList<>();
        final List<String> cached;

        Recording(String... cached) {
            this.cached = List.of(cached);
        }

        @Override
        public boolean wants(String model, String text) {
            return cached.contains(text) == false;
        }

        @Override
        public void start(String model, String text) {
            started.add(model + "/" + text);
        }
    }

    private static CoordinatingSearchFilter filter(ClusterState state, CoordinatingSearchFilter.Prefetcher prefetcher) {
        return new CoordinatingSearchFilter(() -> state, () -> RESOLVER, () -> NODE_DEFAULT, () -> prefetcher);
    }

    private static List<String> texts(ClusterState state, SearchRequest search) {
        return filter(state, new Recording()).prepare(search).stream()
                .map(CoordinatingSearchFilter.Prefetch::text)
                .toList();
    }

    /** The model each fair_semantic clause of {@code search} names after the filter ran (null: none). */
    private static List<String> models(SearchRequest search) {
        List<String> models = new ArrayList<>();
        for (var r : search.source().rescores()) {
            if (r instanceof FairSemanticRescorerBuilder c) {
                models.add(c.model());
            }
        }
        return models;
    }

    public void testPrefetchesTheQueryTextWhenThisNodeHoldsAStartedShard() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(List.of("red shoes"), texts(state, search("products", clause("red shoes"))));
        assertEquals(List.of("red shoes"), texts(state, search("prod*", clause("red shoes"))));
        // one text however many clauses repeat it, in clause order
        assertEquals(
                List.of("red shoes", "boots"),
                texts(state, search("products", clause("red shoes"), clause("boots"), clause("red shoes"))));
        // a text already cached is not embedded again
        CoordinatingSearchFilter cached = filter(state, new Recording("red shoes"));
        assertEquals(
                List.of("boots"),
                cached.prepare(search("products", clause("red shoes"), clause("boots"))).stream()
                        .map(CoordinatingSearchFilter.Prefetch::text)
                        .toList());
        // with the index's model: the node's default for an index without a vector field
        assertEquals(
                List.of(new CoordinatingSearchFilter.Prefetch(NODE_DEFAULT, "red shoes")),
                filter(state, new Recording()).prepare(search("products", clause("red shoes"))));
    }

    public void testNothingWhenNoStartedCopyIsHere() {
        assertEquals(
                List.of(), texts(state(false, ShardRoutingState.STARTED), search("products", clause("red shoes"))));
        assertEquals(
                List.of(), texts(state(true, ShardRoutingState.INITIALIZING), search("products", clause("red shoes"))));
        assertEquals(
                List.of(),
                texts(ClusterStateCreationUtils.stateWithNoShard(), search("products", clause("red shoes"))));
    }

    public void testNothingWithoutASemanticWeight() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(
                List.of(), texts(state, search("products", clause("red shoes").semanticWeight(0f))));
        ClusterState lexicalIndex = withIndexWeight(state, 0f);
        assertEquals(
                "the model is pinned even where nothing is prefetched",
                Arrays.asList(NODE_DEFAULT),
                pinned(lexicalIndex, clause("red shoes")));
        assertEquals(List.of(), texts(lexicalIndex, search("products", clause("red shoes"))));
        // the clause's own weight wins over the index's
        assertEquals(
                List.of("red shoes"),
                texts(lexicalIndex, search("products", clause("red shoes").semanticWeight(0.3f))));
        assertEquals(
                List.of("boots"),
                texts(
                        lexicalIndex,
                        search(
                                "products",
                                clause("red shoes"),
                                clause("boots").semanticWeight(0.3f),
                                clause("hats").semanticWeight(0f))));
    }

    public void testNothingForSearchesWithoutAFairSemanticClause() {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(List.of(), texts(state, new SearchRequest("products")));
        assertEquals(List.of(), texts(state, search("products")));
        SearchRequest stock = new SearchRequest("products")
                .source(new SearchSourceBuilder().addRescorer(new QueryRescorerBuilder(QueryBuilders.matchAllQuery())));
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
        CoordinatingSearchFilter filter = filter(state, recording);
        ActionListener<Object> listener = ActionListener.wrap(r -> fail("answered"), e -> fail("failed: " + e));

        assertTrue(filter.apply(SearchAction.NAME, search("products", clause("red shoes")), listener));
        assertEquals(List.of(NODE_DEFAULT + "/red shoes"), started);
        // fair_rescore.inference.prefetch: false leaves the embedding to the shards, the model is still pinned
        filter.prefetch(false);
        SearchRequest unprefetched = search("products", clause("boots"));
        assertTrue(filter.apply(SearchAction.NAME, unprefetched, listener));
        assertEquals(Arrays.asList(NODE_DEFAULT), models(unprefetched));
        filter.prefetch(true);
        // another action, an unknown index: passed on untouched
        SearchRequest get = search("products", clause("boots"));
        assertTrue(filter.apply("indices:data/read/get", get, listener));
        assertEquals(Arrays.asList((String) null), models(get));
        SearchRequest missing = search("missing", clause("boots"));
        assertTrue(filter.apply(SearchAction.NAME, missing, listener));
        assertEquals(Arrays.asList((String) null), models(missing));
        assertEquals(List.of(NODE_DEFAULT + "/red shoes"), started);

        // a full inference pool or a node without its models yet: no prefetch, the search goes on
        CoordinatingSearchFilter refused = filter(state, new Recording() {
            @Override
            public void start(String model, String text) {
                throw new RejectedExecutionException("full");
            }
        });
        assertTrue(refused.apply(SearchAction.NAME, search("products", clause("red shoes")), listener));
        CoordinatingSearchFilter starting =
                new CoordinatingSearchFilter(() -> null, () -> null, () -> null, () -> null);
        SearchRequest early = search("products", clause("red shoes"));
        assertTrue(starting.apply(SearchAction.NAME, early, listener));
        assertEquals(Arrays.asList((String) null), models(early));
    }

    /** The clauses' models after the filter ran on a search of "products" with {@code clauses}. */
    private static List<String> pinned(ClusterState state, FairSemanticRescorerBuilder... clauses) {
        SearchRequest search = search("products", clauses);
        filter(state, new Recording()).prepare(search);
        return models(search);
    }

    /**
     * One model for every shard of a search: the vector field's (from the mapping in this node's cluster state), else
     * index.fair_rescore.model, else the node's default; a model the clause names stays; indices that disagree are left
     * to their shards.
     */
    public void testEveryShardOfASearchEmbedsWithTheModelTheCoordinatorResolved() throws Exception {
        ClusterState state = state(true, ShardRoutingState.STARTED);
        assertEquals(Arrays.asList(NODE_DEFAULT), pinned(state, clause("red shoes")));

        ClusterState withField = withIndexSettings(
                state,
                "products",
                Settings.builder().put(FairRescoreSettings.VECTOR_FIELD.getKey(), "title_vector"),
                vectorMapping("title_vector", "all-minilm-l6-v2-q", "title_vector_bge", "bge-small-en-v15-q"));
        SearchRequest search =
                search("products", clause("red shoes"), clause("boots").model("bge-small-zh-v15-q"));
        FairSemanticRescorerBuilder original =
                (FairSemanticRescorerBuilder) search.source().rescores().get(0);
        assertEquals(
                List.of(
                        new CoordinatingSearchFilter.Prefetch("all-minilm-l6-v2-q", "red shoes"),
                        new CoordinatingSearchFilter.Prefetch("bge-small-zh-v15-q", "boots")),
                filter(withField, new Recording()).prepare(search));
        assertEquals(Arrays.asList("all-minilm-l6-v2-q", "bge-small-zh-v15-q"), models(search));
        FairSemanticRescorerBuilder pinned =
                (FairSemanticRescorerBuilder) search.source().rescores().get(0);
        assertTrue(pinned.modelFromIndices());
        assertFalse(((FairSemanticRescorerBuilder) search.source().rescores().get(1)).modelFromIndices());
        assertNull("the request's own clause object is left as it was", original.model());
        assertEquals(original.queryText(), pinned.queryText());
        assertEquals(original.windowSize(), pinned.windowSize());

        // the admin switches the vector field: the next search pins the new field's model
        ClusterState switched = withIndexSettings(
                withField,
                "products",
                Settings.builder().put(FairRescoreSettings.VECTOR_FIELD.getKey(), "title_vector_bge"),
                null);
        assertEquals(Arrays.asList("bge-small-en-v15-q"), pinned(switched, clause("red shoes")));
        // a vector field the mapping does not have: the shards answer (400), nothing is pinned
        ClusterState unmapped = withIndexSettings(
                withField, "products", Settings.builder().put(FairRescoreSettings.VECTOR_FIELD.getKey(), "nope"), null);
        assertEquals(Arrays.asList((String) null), pinned(unmapped, clause("red shoes")));
        // index.fair_rescore.model without a vector field
        ClusterState configured = withIndexSettings(
                state,
                "products",
                Settings.builder().put(FairRescoreSettings.INDEX_MODEL.getKey(), "all-minilm-l6-v2-q"),
                null);
        assertEquals(Arrays.asList("all-minilm-l6-v2-q"), pinned(configured, clause("red shoes")));
    }

    public void testIndicesWithDifferentModelsAreLeftToTheirShards() throws Exception {
        ClusterState two = ClusterStateCreationUtils.state(1, new String[] {"products", "archive"}, 1);
        SearchRequest both = new SearchRequest("products", "archive")
                .source(new SearchSourceBuilder().addRescorer(clause("red shoes")));
        filter(two, new Recording()).prepare(both);
        assertEquals("both indices embed with the node's default", Arrays.asList(NODE_DEFAULT), models(both));

        ClusterState differ = withIndexSettings(
                two,
                "archive",
                Settings.builder().put(FairRescoreSettings.INDEX_MODEL.getKey(), "all-minilm-l6-v2-q"),
                null);
        SearchRequest mixed = new SearchRequest("products", "archive")
                .source(new SearchSourceBuilder().addRescorer(clause("red shoes")));
        filter(differ, new Recording()).prepare(mixed);
        assertEquals(Arrays.asList((String) null), models(mixed));
    }
}
