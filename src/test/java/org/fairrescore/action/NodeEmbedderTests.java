package org.fairrescore.action;

import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.model.VectorMath;
import org.fairrescore.stats.FairRescoreStats;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code _embed} against the real bundled models: tokens, truncation, prefixes, vectors identical to the rescorer's. */
public class NodeEmbedderTests extends OpenSearchTestCase {

    private static final String MINILM = "all-minilm-l6-v2-q";
    private static final String BGE_EN = "bge-small-en-v15-q";

    private static OnnxEmbedder minilm;
    private static OnnxEmbedder bge;
    private static FairRescoreStats stats;
    private static NodeEmbedder embedder;

    @BeforeClass
    public static void loadModels() throws Exception {
        Path models = Path.of(System.getProperty("fair_rescore.test.models", "target/models"));
        ModelRegistry registry = ModelRegistry.scan(models);
        minilm = OnnxEmbedder.load(registry.get(MINILM), 1);
        bge = OnnxEmbedder.load(registry.get(BGE_EN), 1);
        stats = new FairRescoreStats();
        Map<String, OnnxEmbedder> byId = Map.of(MINILM, minilm, BGE_EN, bge);
        minilm.batchListener((batch, nanos, ok) -> stats.inference(
                MINILM, batch.size(), batch.stream().mapToLong(e -> e.length()).sum(), nanos, ok));
        embedder = new NodeEmbedder(
                id -> {
                    OnnxEmbedder m = byId.get(id);
                    if (m == null) {
                        throw new IllegalArgumentException("model [" + id + "] is not loaded on this node");
                    }
                    return m;
                },
                MINILM);
    }

    @AfterClass
    public static void closeModels() {
        minilm.close();
        bge.close();
        minilm = null;
        bge = null;
        stats = null;
        embedder = null;
    }

    public void testTokensIdsAndVectorOfOneText() {
        long before = stats.snapshot().inference().batches();
        EmbedResponse r = embedder.embed(new EmbedRequest(List.of("Running shoes"), false, true));
        assertEquals(MINILM, r.model());
        assertEquals("query", r.as());
        assertEquals("", r.prefix());
        assertEquals(384, r.dims());
        assertEquals(128, r.maxTokens());
        EmbedResponse.Embedding e = r.embeddings().get(0);
        assertArrayEquals(new String[] {"[CLS]", "running", "shoes", "[SEP]"}, e.tokens());
        assertEquals(101, e.tokenIds()[0]);
        assertEquals(102, e.tokenIds()[3]);
        assertFalse(e.truncated());
        assertEquals(384, e.vector().length);
        assertEquals(before + 1, stats.snapshot().inference().batches());
        assertArrayEquals(
                "the vector the rescorer uses for this query", minilm.embedQuery("Running shoes"), e.vector(), 0f);
        assertEquals(1.0, Math.sqrt(VectorMath.dot(e.vector(), e.vector())), 1e-5);
    }

    public void testSeveralTextsTruncationAndTokensOnly() {
        String longText = "shoes ".repeat(300);
        long before = stats.snapshot().inference().batches();
        EmbedResponse tokensOnly = embedder.embed(new EmbedRequest(List.of("boots", longText), true, false));
        assertEquals(
                "no inference without the vector",
                before,
                stats.snapshot().inference().batches());
        assertNull(tokensOnly.embeddings().get(0).vector());
        assertFalse(tokensOnly.embeddings().get(0).truncated());
        assertTrue(tokensOnly.embeddings().get(1).truncated());
        assertEquals(128, tokensOnly.embeddings().get(1).tokenIds().length);
        assertEquals("[SEP]", tokensOnly.embeddings().get(1).tokens()[127]);

        EmbedResponse both = embedder.embed(new EmbedRequest(List.of("boots", longText), true, true));
        assertArrayEquals(minilm.embedQuery("boots"), both.embeddings().get(0).vector(), 0f);
        assertArrayEquals(minilm.embedQuery(longText), both.embeddings().get(1).vector(), 0f);
        assertTrue(stats.snapshot().inference().tokens() >= 128);
        assertTrue(stats.snapshot().inference().latencyMicros().max() > 0);
    }

    /** A model with a query instruction: {@code as: query} shows and embeds it, {@code as: document} does not. */
    public void testTheRoleDecidesThePrefix() {
        String prefix = bge.manifest().queryPrefix();
        EmbedResponse query =
                embedder.embed(new EmbedRequest(List.of("velvet sofa"), false, true, BGE_EN, TextRole.QUERY));
        assertEquals(BGE_EN, query.model());
        assertEquals(prefix, query.prefix());
        List<String> tokens = List.of(query.embeddings().get(0).tokens());
        assertEquals("represent", tokens.get(1));
        assertEquals(List.of("velvet", "sofa", "[SEP]"), tokens.subList(tokens.size() - 3, tokens.size()));
        assertArrayEquals(
                "what the rescorer embeds for query_text",
                bge.embedQuery("velvet sofa"),
                query.embeddings().get(0).vector(),
                0f);
        assertArrayEquals(
                bge.embed(List.of(prefix + "velvet sofa"))[0],
                query.embeddings().get(0).vector(),
                0f);

        EmbedResponse document =
                embedder.embed(new EmbedRequest(List.of("velvet sofa"), false, true, BGE_EN, TextRole.DOCUMENT));
        assertEquals("document", document.as());
        assertEquals("", document.prefix());
        assertArrayEquals(
                new String[] {"[CLS]", "velvet", "sofa", "[SEP]"},
                document.embeddings().get(0).tokens());
        assertArrayEquals(
                "what the ingest processor stores",
                bge.embed(TextRole.DOCUMENT, List.of("velvet sofa"), 1, null)[0],
                document.embeddings().get(0).vector(),
                0f);
    }

    public void testAModelTheNodeDoesNotLoad() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> embedder.embed(
                        new EmbedRequest(List.of("a"), false, true, "bge-small-zh-v15-q", TextRole.QUERY)));
        assertTrue(e.getMessage(), e.getMessage().contains("[bge-small-zh-v15-q] is not loaded"));
    }

    public void testBindTwiceFails() {
        FairRescoreStats fresh = new FairRescoreStats();
        FairRescoreStats.Sources none = new FairRescoreStats.Sources(null, null, null, null, null);
        fresh.bind(none);
        expectThrows(IllegalStateException.class, () -> fresh.bind(none));
    }
}
