package org.fairrescore.plugin;

import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.settings.Settings;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Keeps a node without fair-rescore out of a cluster that has it. Such a node cannot open the indices (their
 * {@code index.fair_rescore.*} settings and {@code fair_rescore_vector} mappings are unknown to it), so the cluster
 * manager's allocator keeps moving shards to it and failing; as the coordinator of a search it answers
 * {@code unknown field [fair_semantic]} and {@code Pipeline ... is not defined}, and as the ingest node it fails every
 * document of a pipeline with {@code fair_rescore_embed} with a 500. None of that names the node or the missing plugin.
 *
 * <p>Every node with the plugin announces it with the node attribute {@code fair_rescore} ({@link #NODE_SETTINGS},
 * added to the node's settings by the plugin). The elected cluster manager runs this check on every node that asks to
 * join and refuses one without the attribute, with a message naming it; the refused node stays out of the cluster
 * (its log repeats the refusal) and the cluster goes on without it. (The joining node runs the check too, on itself:
 * with the plugin it passes.) A node of a fair-rescore version from before this check carries no attribute either and
 * is refused the same way once the cluster manager runs this version: upgrade it.
 */
final class JoinCheck implements BiConsumer<DiscoveryNode, ClusterState> {

    /** The node attribute ({@code node.attr.fair_rescore}) every node with the plugin carries. */
    static final String ATTRIBUTE = "fair_rescore";

    /** What the plugin adds to the node's settings. */
    static final Settings NODE_SETTINGS =
            Settings.builder().put("node.attr." + ATTRIBUTE, "true").build();

    @Override
    public void accept(DiscoveryNode joining, ClusterState state) {
        if (joining.getAttributes().containsKey(ATTRIBUTE) == false) {
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "node [%s] (%s) cannot join cluster [%s]: it does not have the fair-rescore plugin (no node attribute [node.attr.%s]), "
                            + "which every node of this cluster needs (its indices use index.fair_rescore.* settings and fair_rescore_vector "
                            + "fields, its searches the fair_semantic rescorer); install fair-rescore on the node, or upgrade it if it runs a "
                            + "fair-rescore older than its cluster manager",
                    joining.getName(),
                    joining.getAddress(),
                    state.getClusterName().value(),
                    ATTRIBUTE));
        }
    }
}
