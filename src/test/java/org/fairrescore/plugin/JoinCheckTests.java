package org.fairrescore.plugin;

import org.opensearch.Version;
import org.opensearch.cluster.ClusterName;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.cluster.node.DiscoveryNodeRole;
import org.opensearch.test.OpenSearchTestCase;

import java.util.Map;
import java.util.Set;

public class JoinCheckTests extends OpenSearchTestCase {

    private static DiscoveryNode node(String name, Map<String, String> attributes) {
        return new DiscoveryNode(
                name,
                name + "-id",
                buildNewFakeTransportAddress(),
                attributes,
                Set.of(DiscoveryNodeRole.DATA_ROLE, DiscoveryNodeRole.CLUSTER_MANAGER_ROLE),
                Version.CURRENT);
    }

    public void testANodeWithThePluginJoins() {
        ClusterState state = ClusterState.builder(new ClusterName("market")).build();
        new JoinCheck().accept(node("n1", Map.of("fair_rescore", "true", "zone", "zone-1")), state);
    }

    public void testANodeWithoutThePluginIsRefusedByName() {
        ClusterState state = ClusterState.builder(new ClusterName("market")).build();
        IllegalStateException refused = expectThrows(
                IllegalStateException.class,
                () -> new JoinCheck().accept(node("bare-node", Map.of("zone", "zone-3")), state));
        String message = refused.getMessage();
        assertTrue(message, message.startsWith("node [bare-node] ("));
        assertTrue(message, message.contains("cannot join cluster [market]"));
        assertTrue(message, message.contains("does not have the fair-rescore plugin"));
        assertTrue(message, message.contains("[node.attr.fair_rescore]"));
        assertTrue(message, message.contains("install fair-rescore on the node"));
    }

    public void testThePluginAnnouncesItselfWithTheAttributeTheCheckLooksFor() {
        assertEquals("true", JoinCheck.NODE_SETTINGS.get("node.attr." + JoinCheck.ATTRIBUTE));
        assertEquals(1, JoinCheck.NODE_SETTINGS.size());
    }
}
