package org.fairrescore.action;

import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.Version;
import org.opensearch.action.FailedNodeException;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Wire round trips of the stats request and response, and the response's JSON shape. */
public class StatsWireTests extends OpenSearchTestCase {

    private static final NamedWriteableRegistry NONE = new NamedWriteableRegistry(List.of());

    private static DiscoveryNode node(String id) {
        return new DiscoveryNode(
                "name-" + id,
                id,
                buildNewFakeTransportAddress(),
                Map.of(),
                DiscoveryNode.getRolesFromSettings(org.opensearch.common.settings.Settings.EMPTY),
                Version.CURRENT);
    }

    public void testRequestRoundTrip() throws IOException {
        FairRescoreStatsRequest original = new FairRescoreStatsRequest("a", "_local");
        original.timeout("7s");
        FairRescoreStatsRequest copy = copyWriteable(original, NONE, FairRescoreStatsRequest::new);
        assertArrayEquals(new String[] {"a", "_local"}, copy.nodesIds());
        assertEquals(original.timeout(), copy.timeout());
        copyWriteable(new FairRescoreStatsNodeRequest(), NONE, FairRescoreStatsNodeRequest::new);
    }

    public void testResponseRoundTrip() throws IOException {
        FairRescoreStats live = new FairRescoreStats();
        live.rescoreWindow(
                "cap",
                new org.fairrescore.fairness.Reordering(new int[] {1, 0}, new int[] {0, 1}, new boolean[2], true),
                1_000);
        NodeStats a = live.snapshot();
        NodeStats b = org.fairrescore.stats.FairRescoreStatsTests.randomNodeStats();
        FairRescoreStatsResponse original = new FairRescoreStatsResponse(
                new ClusterName("fair"),
                List.of(new FairRescoreNodeStats(node("n1"), a), new FairRescoreNodeStats(node("n2"), b)),
                List.of(new FailedNodeException("n3", "gone", new IllegalStateException("boom"))));
        FairRescoreStatsResponse copy = copyWriteable(original, NONE, FairRescoreStatsResponse::new);
        assertEquals("fair", copy.getClusterName().value());
        assertEquals(2, copy.getNodes().size());
        assertEquals(a, copy.getNodesMap().get("n1").stats());
        assertEquals(b, copy.getNodesMap().get("n2").stats());
        assertEquals(1, copy.failures().size());
        assertEquals("n3", copy.failures().get(0).nodeId());
    }

    @SuppressWarnings("unchecked")
    public void testJsonIsKeyedByNodeId() throws IOException {
        FairRescoreStatsResponse response = new FairRescoreStatsResponse(
                new ClusterName("fair"),
                List.of(new FairRescoreNodeStats(node("n1"), new FairRescoreStats().snapshot())),
                List.of());
        XContentBuilder builder = JsonXContent.contentBuilder().startObject();
        response.toXContent(builder, ToXContent.EMPTY_PARAMS);
        builder.endObject();
        Map<String, Object> json = XContentHelper.convertToMap(JsonXContent.jsonXContent, builder.toString(), false);
        Map<String, Object> n1 = (Map<String, Object>) ((Map<String, Object>) json.get("nodes")).get("n1");
        assertEquals("name-n1", n1.get("name"));
        assertTrue(n1.containsKey("transport_address"));
        assertTrue(n1.containsKey("inference"));
        assertTrue(n1.containsKey("quota"));
    }
}
