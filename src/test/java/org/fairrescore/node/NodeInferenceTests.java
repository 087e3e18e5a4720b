package org.fairrescore.node;

import org.fairrescore.cache.QueryEmbeddingCache;
import org.fairrescore.model.BundledModel;
import org.fairrescore.model.InferenceDevice;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.ModelUnavailableException;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.model.VectorMath;
import org.fairrescore.rescore.Embeddings;
import org.fairrescore.rescore.RequestMemory;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.indices.breaker.HierarchyCircuitBreakerService;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

public class NodeInferenceTests extends OpenSearchTestCase {

    static final String MINILM = "all-minilm-l6-v2-q";
    static final String BGE_EN = "bge-small-en-v15-q";

    private static ModelRegistry registry() throws Exception {
        return ModelRegistry.scan(Path.of(System.getProperty("fair_rescore.test.models")));
    }

    private static BundledModel files(String id) throws Exception {
        return registry().get(id);
    }

    private static NodeInference node(
            List<NodeInference.Loaded> models, QueryEmbeddingCache cache, Executor pool, FairRescoreStats stats) {
        return node(models, cache, pool, stats, RequestMemory.NONE);
    }

    private static NodeInference node(
            List<NodeInference.Loaded> models,
            QueryEmbeddingCache cache,
            Executor pool,
            FairRescoreStats stats,
            RequestMemory memory) {
        return new NodeInference(
                models.get(0).files().id(),
                models,
                1,
                InferenceDevice.Request.CPU_ONLY,
                cache,
                pool,
                stats,
                () -> memory);
    }

    private static NodeInference.Loaded failed(String id, String error) throws Exception {
        return new NodeInference.Loaded(files(id), null, new ModelUnavailableException(error));
    }

    public void testAFullInferenceQueueIsRefusedWith429AndCounted() throws Exception {
        ExecutorService pool = OpenSearchExecutors.newFixed(
                "test-inference",
                1,
                1,
                OpenSearchExecutors.daemonThreadFactory("test-inference"),
                new ThreadContext(Settings.EMPTY));
        FairRescoreStats stats = new FairRescoreStats();
        NodeInference node = node(
                List.of(failed(MINILM, "model [m] cannot be loaded from [/m]")),
                new QueryEmbeddingCache(1024),
                pool,
                stats);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CompletableFuture<String> running = node.submit(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "ran";
            });
            assertBusy(() -> assertEquals(1, ((java.util.concurrent.ThreadPoolExecutor) pool).getActiveCount()));
            CompletableFuture<String> queued = node.submit(() -> "queued");
            OpenSearchRejectedExecutionException full =
                    expectThrows(OpenSearchRejectedExecutionException.class, () -> node.submit(() -> "refused"));
            assertEquals(RestStatus.TOO_MANY_REQUESTS, org.opensearch.ExceptionsHelper.status(full));
            assertEquals(1, stats.snapshot().isolation().rejected());
            release.countDown();
            assertEquals("ran", running.get(10, TimeUnit.SECONDS));
            assertEquals("queued", queued.get(10, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    public void testAnUnloadedModelFailsEveryUseWithItsLoadError() throws Exception {
        FairRescoreStats stats = new FairRescoreStats();
        String error =
                "fair-rescore: model [all-minilm-l6-v2-q] cannot be loaded from [/plugins/fair-rescore/models/all-minilm-l6-v2-q]: sha256 mismatch";
        NodeInference node = node(List.of(failed(MINILM, error)), new QueryEmbeddingCache(1024), Runnable::run, stats);
        assertNull(node.model(MINILM).embedder());
        NodeStats.Model reported = stats.snapshot().defaultModel();
        assertEquals(error, reported.error());
        assertEquals(384, reported.info().dims()); // from the manifest
        assertEquals(0, reported.info().memoryBytes());
        assertEquals(
                error,
                expectThrows(ModelUnavailableException.class, () -> node.embedder(MINILM))
                        .getMessage());
        Embeddings embeddings = node.embeddings(MINILM);
        assertEquals(
                error,
                expectThrows(ModelUnavailableException.class, () -> embeddings.embedQuery("shoes"))
                        .getMessage());
        java.util.concurrent.ExecutionException async = expectThrows(
                java.util.concurrent.ExecutionException.class,
                () -> embeddings.embedQueryAsync("shoes").get());
        assertEquals(error, async.getCause().getMessage());
        assertEquals(
                error,
                expectThrows(ModelUnavailableException.class, () -> embeddings.embedDocuments(List.of("shoes")))
                        .getMessage());
        assertEquals(
                error,
                expectThrows(
                                ModelUnavailableException.class,
                                () -> node.embedForIngest(MINILM, List.of("shoes"), 1, "t"))
                        .getMessage());
    }

    public void testAPrefetchedQueryVectorIsTheOneTheShardsGet() throws Exception {
        FairRescoreStats stats = new FairRescoreStats();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(1 << 20);
        try (OnnxEmbedder model = OnnxEmbedder.load(files(MINILM), 1)) {
            NodeInference node =
                    node(List.of(new NodeInference.Loaded(files(MINILM), model, null)), cache, Runnable::run, stats);
            assertTrue(node.wants(MINILM, "red running shoes"));
            node.start(MINILM, "red running shoes");
            assertFalse(node.wants(MINILM, "red running shoes"));
            assertEquals(1, cache.stats().loads());
            float[] prefetched = cache.peek(MINILM, "red running shoes");
            assertNotNull(prefetched);
            assertArrayEquals(model.embed(List.of("red running shoes"))[0], prefetched, 0f);
            assertEquals(
                    "the prefetch is no search's lookup",
                    0,
                    cache.stats().misses() + cache.stats().hits());
            // the search's own ask gets that vector, no second inference, and counts as waiting for the load it
            // caused (a miss and a wait), not as a hit; the next search's ask is a hit; a second prefetch does nothing
            Embeddings embeddings = node.embeddings(MINILM);
            assertSame(
                    prefetched, embeddings.embedQueryAsync("red running shoes").get(10, TimeUnit.SECONDS));
            assertEquals(1, cache.stats().misses());
            assertEquals(1, cache.stats().waits());
            assertEquals(0, cache.stats().hits());
            assertSame(
                    prefetched, embeddings.embedQueryAsync("red running shoes").get(10, TimeUnit.SECONDS));
            assertEquals(1, cache.stats().hits());
            node.start(MINILM, "red running shoes");
            assertEquals(1, cache.stats().loads());
            // a model this node does not load is not prefetched
            assertFalse(node.wants(BGE_EN, "boots"));
            node.start(BGE_EN, "boots");
            assertEquals(1, cache.stats().loads());

            // a cache that keeps nothing gets nothing to keep
            QueryEmbeddingCache off = new QueryEmbeddingCache(0);
            node(List.of(new NodeInference.Loaded(files(MINILM), model, null)), off, Runnable::run, stats)
                    .start(MINILM, "boots");
            assertEquals(0, off.stats().loads() + off.stats().misses());

            // a full pool refuses the prefetch quietly: no search was refused, nothing counted, nothing left in flight
            NodeInference full = node(
                    List.of(new NodeInference.Loaded(files(MINILM), model, null)),
                    cache,
                    task -> {
                        throw new java.util.concurrent.RejectedExecutionException("full");
                    },
                    stats);
            full.start(MINILM, "boots");
            assertEquals(0, stats.snapshot().isolation().rejected());
            assertNull(cache.peek(MINILM, "boots"));
            assertNotNull(embeddings.embedQueryAsync("boots").get(10, TimeUnit.SECONDS));
        }
    }

    public void testNoPrefetchWithoutAModel() throws Exception {
        QueryEmbeddingCache cache = new QueryEmbeddingCache(1024);
        NodeInference node = node(
                List.of(failed(MINILM, "model [m] cannot be loaded")), cache, Runnable::run, new FairRescoreStats());
        assertFalse(node.wants(MINILM, "shoes"));
        node.start(MINILM, "shoes");
        assertEquals(0, cache.stats().misses());
    }

    /**
     * Two models on one node: each embeds with its own prefixes, their query vectors are cached apart, each reports its
     * own inference and its network's memory on the breaker; a model the node does not load is refused by name.
     */
    public void testSeveralModelsEmbedApartEachWithItsPrefixes() throws Exception {
        FairRescoreStats stats = new FairRescoreStats();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(1 << 20);
        HierarchyCircuitBreakerService service = new HierarchyCircuitBreakerService(
                Settings.EMPTY,
                List.of(new BreakerSettings("fair_rescore", 1L << 30, 1.0)),
                new ClusterSettings(Settings.EMPTY, ClusterSettings.BUILT_IN_CLUSTER_SETTINGS));
        CircuitBreaker breaker = service.getBreaker("fair_rescore");
        RequestMemory memory = new RequestMemory(() -> breaker, 0, 0, 1);
        BundledModel minilmFiles = files(MINILM);
        BundledModel bgeFiles = files(BGE_EN);
        try (OnnxEmbedder minilm = OnnxEmbedder.load(minilmFiles, 1);
                OnnxEmbedder bge = OnnxEmbedder.load(bgeFiles, 1)) {
            String prefix = bgeFiles.manifest().queryPrefix();
            assertFalse("bge-small-en asks for a retrieval instruction on queries", prefix.isEmpty());
            // the expected vectors, embedded before the node counts the models' calls
            float[] prefixedQuery = bge.embed(List.of(prefix + "velvet sofa"))[0];
            float[] plainText = bge.embed(List.of("velvet sofa"))[0];
            float[] asDocument = bge.embed(TextRole.DOCUMENT, List.of("velvet sofa"), 1, null)[0];
            float[] minilmQuery = minilm.embed(List.of("velvet sofa"))[0];
            NodeInference node = node(
                    List.of(
                            new NodeInference.Loaded(bgeFiles, bge, null),
                            new NodeInference.Loaded(minilmFiles, minilm, null)),
                    cache,
                    Runnable::run,
                    stats,
                    memory);
            assertEquals(BGE_EN, node.defaultModel());
            assertEquals(List.of(BGE_EN, MINILM), node.loaded());
            assertEquals(
                    bgeFiles.manifest().onnxBytes() + minilmFiles.manifest().onnxBytes(), breaker.getUsed());

            float[] query = node.embeddings(BGE_EN).embedQuery("velvet sofa");
            assertArrayEquals("the query prefix is applied", prefixedQuery, query, 0f);
            assertTrue(VectorMath.dot(query, plainText) < 0.99);
            float[] document = node.embedForIngest(BGE_EN, List.of("velvet sofa"), 1, "t")[0];
            assertArrayEquals("documents carry no prefix for this model", plainText, document, 0f);
            assertArrayEquals(asDocument, document, 0f);
            float[] other = node.embeddings(MINILM).embedQuery("velvet sofa");
            assertEquals(384, other.length);
            assertArrayEquals(minilmQuery, other, 0f);
            assertEquals(
                    "one cached vector per model and text", 2, cache.stats().entries());
            assertEquals(
                    0,
                    breaker.getUsed()
                            - bgeFiles.manifest().onnxBytes()
                            - minilmFiles.manifest().onnxBytes());

            assertNull(node.embeddings("bge-small-zh-v15-q"));
            IllegalArgumentException notLoaded = expectThrows(
                    IllegalArgumentException.class,
                    () -> node.embedForIngest("bge-small-zh-v15-q", List.of("沙发"), 1, "t"));
            assertTrue(notLoaded.getMessage(), notLoaded.getMessage().contains("[bge-small-zh-v15-q] is not loaded"));
            assertTrue(notLoaded.getMessage(), notLoaded.getMessage().contains("[fair_rescore.models]"));

            NodeStats snapshot = stats.snapshot();
            assertEquals(
                    List.of(BGE_EN, MINILM),
                    snapshot.models().stream().map(NodeStats.Model::id).toList());
            assertEquals(BGE_EN, snapshot.defaultModel().id());
            NodeStats.Model bgeStats = snapshot.models().get(0);
            NodeStats.Model minilmStats = snapshot.models().get(1);
            assertEquals(2, bgeStats.inference().texts()); // the query and the document
            assertEquals(1, minilmStats.inference().texts());
            assertEquals(3, snapshot.inference().texts());
            assertEquals(bgeFiles.manifest().onnxBytes(), bgeStats.info().memoryBytes());
            node.close();
            assertEquals("closing gives the networks' memory back", 0, breaker.getUsed());
        }
    }
}
