package org.fairrescore.plugin;

import org.fairrescore.embed.BundledModel;
import org.fairrescore.embed.ModelRegistry;
import org.fairrescore.embed.ModelUnavailableException;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.embed.QueryEmbeddingCache;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.util.concurrent.OpenSearchExecutors;
import org.opensearch.core.concurrency.OpenSearchRejectedExecutionException;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

public class NodeInferenceTests extends OpenSearchTestCase {

    private static BundledModel files() throws Exception {
        return ModelRegistry.scan(Path.of(System.getProperty("fair_rescore.test.models"))).get("all-minilm-l6-v2-q");
    }

    public void testAFullInferenceQueueIsRefusedWith429AndCounted() throws Exception {
        ExecutorService pool = OpenSearchExecutors.newFixed(
            "test-inference",
            1,
            1,
            OpenSearchExecutors.daemonThreadFactory("test-inference"),
            new ThreadContext(Settings.EMPTY)
        );
        FairRescoreStats stats = new FairRescoreStats();
        NodeInference node = NodeInference.failed(new ModelUnavailableException("model [m] cannot be loaded from [/m]"), files(), new QueryEmbeddingCache(1024), pool, stats);
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
            OpenSearchRejectedExecutionException full = expectThrows(OpenSearchRejectedExecutionException.class, () -> node.submit(() -> "refused"));
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
        String error = "fair-rescore: model [all-minilm-l6-v2-q] cannot be loaded from [/plugins/fair-rescore/models/all-minilm-l6-v2-q]: sha256 mismatch";
        NodeInference node = NodeInference.failed(new ModelUnavailableException(error), files(), new QueryEmbeddingCache(1024), Runnable::run, stats);
        assertNull(node.model());
        assertEquals(error, stats.snapshot().modelError());
        assertEquals(384, node.vectorModel().dims()); // mappings still validate against the manifest
        assertEquals(error, expectThrows(ModelUnavailableException.class, node::require).getMessage());
        assertEquals(error, expectThrows(ModelUnavailableException.class, () -> node.embeddings().embedQuery("shoes")).getMessage());
        java.util.concurrent.ExecutionException async = expectThrows(
            java.util.concurrent.ExecutionException.class,
            () -> node.embeddings().embedQueryAsync("shoes").get()
        );
        assertEquals(error, async.getCause().getMessage());
        assertEquals(error, expectThrows(ModelUnavailableException.class, () -> node.embeddings().embedDocuments(List.of("shoes"))).getMessage());
    }

    public void testAPrefetchedQueryVectorIsTheOneTheShardsGet() throws Exception {
        FairRescoreStats stats = new FairRescoreStats();
        QueryEmbeddingCache cache = new QueryEmbeddingCache(1 << 20);
        try (OnnxEmbedder model = OnnxEmbedder.load(files(), 1)) {
            NodeInference node = NodeInference.loaded(model, files(), cache, Runnable::run, stats);
            node.prefetchQuery("red running shoes");
            assertEquals(1, cache.stats().loads());
            float[] prefetched = cache.peek(model.modelId(), "red running shoes");
            assertNotNull(prefetched);
            assertArrayEquals(model.embed(List.of("red running shoes"))[0], prefetched, 0f);
            assertEquals("the prefetch is no search's lookup", 0, cache.stats().misses() + cache.stats().hits());
            // the search's own ask gets that vector, no second inference, and counts as waiting for the load it
            // caused (a miss and a wait), not as a hit; the next search's ask is a hit; a second prefetch does nothing
            assertSame(prefetched, node.embeddings().embedQueryAsync("red running shoes").get(10, TimeUnit.SECONDS));
            assertEquals(1, cache.stats().misses());
            assertEquals(1, cache.stats().waits());
            assertEquals(0, cache.stats().hits());
            assertSame(prefetched, node.embeddings().embedQueryAsync("red running shoes").get(10, TimeUnit.SECONDS));
            assertEquals(1, cache.stats().hits());
            node.prefetchQuery("red running shoes");
            assertEquals(1, cache.stats().loads());

            // a cache that keeps nothing gets nothing to keep
            QueryEmbeddingCache off = new QueryEmbeddingCache(0);
            NodeInference.loaded(model, files(), off, Runnable::run, stats).prefetchQuery("boots");
            assertEquals(0, off.stats().loads() + off.stats().misses());

            // a full pool refuses the prefetch quietly: no search was refused, nothing counted, nothing left in flight
            NodeInference full = NodeInference.loaded(model, files(), cache, task -> {
                throw new java.util.concurrent.RejectedExecutionException("full");
            }, stats);
            full.prefetchQuery("boots");
            assertEquals(0, stats.snapshot().isolation().rejected());
            assertNull(cache.peek(model.modelId(), "boots"));
            assertNotNull(node.embeddings().embedQueryAsync("boots").get(10, TimeUnit.SECONDS));
        }
    }

    public void testNoPrefetchWithoutAModel() throws Exception {
        QueryEmbeddingCache cache = new QueryEmbeddingCache(1024);
        NodeInference node = NodeInference.failed(new ModelUnavailableException("model [m] cannot be loaded"), files(), cache, Runnable::run, new FairRescoreStats());
        node.prefetchQuery("shoes");
        assertEquals(0, cache.stats().misses());
    }
}
