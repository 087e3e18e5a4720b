package org.fairrescore.node;

import org.fairrescore.cache.QueryEmbeddingCache;
import org.fairrescore.model.InferenceDevice;
import org.fairrescore.model.ModelRegistry;
import org.fairrescore.model.ModelUnavailableException;
import org.fairrescore.rescore.RequestMemory;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.Version;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.node.DiscoveryNodeRole;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.test.OpenSearchTestCase;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

public class IngestEmbedderTests extends OpenSearchTestCase {

    /**
     * The ingest pipeline runs on whichever node received the document; when that node does not load the vector
     * field's model, the document fails with a message naming the model, that node and the setting.
     */
    public void testAModelTheIngestNodeDoesNotLoadIsRefusedNamingTheNode() throws Exception {
        ModelRegistry registry = ModelRegistry.scan(Path.of(System.getProperty("fair_rescore.test.models")));
        NodeInference bgeOnly = new NodeInference(
                NodeInferenceTests.BGE_EN,
                List.of(new NodeInference.Loaded(
                        registry.get(NodeInferenceTests.BGE_EN),
                        null,
                        new ModelUnavailableException("not needed here"))),
                1,
                InferenceDevice.Request.CPU_ONLY,
                new QueryEmbeddingCache(1024),
                Runnable::run,
                new FairRescoreStats(),
                () -> RequestMemory.NONE);
        DiscoveryNode local = new DiscoveryNode(
                "ingest-7",
                "ingest-7-id",
                buildNewFakeTransportAddress(),
                Map.of(),
                Set.of(DiscoveryNodeRole.INGEST_ROLE),
                Version.CURRENT);
        ClusterState state = ClusterState.builder(new ClusterName("market"))
                .nodes(DiscoveryNodes.builder().add(local).localNodeId(local.getId()))
                .build();
        IngestEmbedder embedder = new IngestEmbedder(
                () -> state, new RegistryCatalog(registry, NodeInferenceTests.BGE_EN), () -> bgeOnly);

        IllegalArgumentException refused = expectThrows(
                IllegalArgumentException.class,
                () -> embedder.embed(NodeInferenceTests.MINILM, List.of("trail running shoes"), 1));
        String message = refused.getMessage();
        assertTrue(
                message,
                message.contains("model [" + NodeInferenceTests.MINILM + "] is not loaded on node [ingest-7]"));
        assertTrue(message, message.contains("it loads [" + NodeInferenceTests.BGE_EN + "]"));
        assertTrue(message, message.contains("add it to [fair_rescore.models]"));
        // a loaded model goes on to inference (here: the load error of the stand-in model)
        assertEquals(
                "not needed here",
                expectThrows(
                                ModelUnavailableException.class,
                                () -> embedder.embed(NodeInferenceTests.BGE_EN, List.of("trail running shoes"), 1))
                        .getMessage());
    }
}
