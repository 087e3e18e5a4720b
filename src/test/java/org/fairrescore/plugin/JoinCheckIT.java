package org.fairrescore.plugin;

import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.test.OpenSearchIntegTestCase;

/** Every node with the plugin carries the attribute the cluster manager's join check asks for, and joins. */
@OpenSearchIntegTestCase.ClusterScope(scope = OpenSearchIntegTestCase.Scope.TEST, numDataNodes = 2)
public class JoinCheckIT extends FairRescoreIntegTestCase {

    public void testEveryNodeAnnouncesThePluginAndJoins() {
        internalCluster().startNode(); // one more node: its join passes the check of the elected cluster manager
        ensureStableCluster(internalCluster().size());
        for (DiscoveryNode node : clusterService().state().nodes()) {
            assertEquals(node.getName(), "true", node.getAttributes().get(JoinCheck.ATTRIBUTE));
        }
    }
}
