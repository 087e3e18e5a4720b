package org.fairrescore.embed;

import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;

public class NodeModelTests extends OpenSearchTestCase {

    private static Path models() {
        return Path.of(System.getProperty("fair_rescore.test.models"));
    }

    public void testUnknownModelFailsListingTheBundledIds() {
        IllegalArgumentException e = expectThrows(
            IllegalArgumentException.class,
            () -> NodeModel.load(models(), "gpt-17", 1, "fair_rescore.model")
        );
        assertTrue(e.getMessage(), e.getMessage().startsWith("[fair_rescore.model]"));
        assertTrue(e.getMessage(), e.getMessage().contains("gpt-17"));
        assertTrue(e.getMessage(), e.getMessage().contains("all-minilm-l6-v2-q"));
        assertTrue(e.getMessage(), e.getMessage().contains("bge-small-zh-v15-q"));
    }

    public void testLoadsAndWarmsTheDefaultModel() {
        try (OnnxEmbedder embedder = NodeModel.load(models(), "all-minilm-l6-v2-q", 1)) {
            assertEquals(384, embedder.dims());
            float[] v = embedder.embed("trail running sneakers");
            assertEquals(1.0, VectorMath.norm(v), 1e-4);
        }
    }
}
