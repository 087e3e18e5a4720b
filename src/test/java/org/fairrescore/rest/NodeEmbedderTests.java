package org.fairrescore.rest;

import org.fairrescore.embed.ModelRegistry;
import org.fairrescore.embed.OnnxEmbedder;
import org.fairrescore.embed.VectorMath;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.test.OpenSearchTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

import java.nio.file.Path;
import java.util.List;

/** {@code _embed} against the real bundled model: tokens, truncation, vectors identical to the rescorer's, stats. */
public class NodeEmbedderTests extends OpenSearchTestCase {

    private static OnnxEmbedder model;
    private static FairRescoreStats stats;

    @BeforeClass
    public static void loadModel() throws Exception {
        Path models = Path.of(System.getProperty("fair_rescore.test.models", "target/models"));
        model = OnnxEmbedder.load(ModelRegistry.scan(models).get("all-minilm-l6-v2-q"), 1);
        stats = new FairRescoreStats();
        stats.bind(
            model,
            1,
            org.fairrescore.embed.InferenceDevice.CPU,
            new org.fairrescore.embed.QueryEmbeddingCache(1 << 20),
            new org.fairrescore.rescore.DocumentVectors(new org.fairrescore.embed.DocumentEmbeddingCache(1 << 20), 100),
            new org.fairrescore.vectors.EmbedProcessor.Counters()
        );
    }

    @AfterClass
    public static void closeModel() {
        model.close();
        model = null;
        stats = null;
    }

    public void testTokensIdsAndVectorOfOneText() {
        NodeEmbedder embedder = new NodeEmbedder(() -> model);
        long before = stats.snapshot().inference().batches();
        EmbedResponse r = embedder.embed(new EmbedRequest(List.of("Running shoes"), false, true));
        assertEquals("all-minilm-l6-v2-q", r.model());
        assertEquals(384, r.dims());
        assertEquals(128, r.maxTokens());
        EmbedResponse.Embedding e = r.embeddings().get(0);
        assertArrayEquals(new String[] { "[CLS]", "running", "shoes", "[SEP]" }, e.tokens());
        assertEquals(101, e.tokenIds()[0]);
        assertEquals(102, e.tokenIds()[3]);
        assertFalse(e.truncated());
        assertEquals(384, e.vector().length);
        NodeStats s = stats.snapshot();
        assertEquals(before + 1, s.inference().batches());
        assertArrayEquals("the vector the rescorer uses for this query", model.embed("Running shoes"), e.vector(), 0f);
        assertEquals(1.0, Math.sqrt(VectorMath.dot(e.vector(), e.vector())), 1e-5);
        assertEquals("all-minilm-l6-v2-q", s.model().id());
        assertEquals("cpu", s.model().device());
        assertFalse(s.fallbacks().deviceFallback());
    }

    public void testSeveralTextsTruncationAndTokensOnly() {
        NodeEmbedder embedder = new NodeEmbedder(() -> model);
        String longText = "shoes ".repeat(300);
        long before = stats.snapshot().inference().batches();
        EmbedResponse tokensOnly = embedder.embed(new EmbedRequest(List.of("boots", longText), true, false));
        assertEquals("no inference without the vector", before, stats.snapshot().inference().batches());
        assertNull(tokensOnly.embeddings().get(0).vector());
        assertFalse(tokensOnly.embeddings().get(0).truncated());
        assertTrue(tokensOnly.embeddings().get(1).truncated());
        assertEquals(128, tokensOnly.embeddings().get(1).tokenIds().length);
        assertEquals("[SEP]", tokensOnly.embeddings().get(1).tokens()[127]);

        EmbedResponse both = embedder.embed(new EmbedRequest(List.of("boots", longText), true, true));
        assertArrayEquals(model.embed("boots"), both.embeddings().get(0).vector(), 0f);
        assertArrayEquals(model.embed(longText), both.embeddings().get(1).vector(), 0f);
        NodeStats s = stats.snapshot();
        assertTrue(s.inference().tokens() >= 128);
        assertTrue(s.inference().latencyMicros().max() > 0);
    }

    public void testNoModelYet() {
        IllegalStateException e = expectThrows(
            IllegalStateException.class,
            () -> new NodeEmbedder(() -> null).embed(new EmbedRequest(List.of("a"), false, true))
        );
        assertTrue(e.getMessage().contains("not loaded"));
    }

    public void testBindTwiceFails() {
        expectThrows(
            IllegalStateException.class,
            () -> stats.bind(model, 1, org.fairrescore.embed.InferenceDevice.CPU, null, null, null)
        );
    }
}
