package org.fairrescore.action;

import org.opensearch.action.support.IndicesOptions;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;

import java.util.Arrays;

/** Resolves the one index an exposure request names (an index or an alias of one index; no wildcards). */
final class ExposureIndices {

    private ExposureIndices() {}

    /**
     * The metadata of the one index {@code expression} names.
     *
     * @throws org.opensearch.index.IndexNotFoundException when there is no such index (404)
     * @throws IllegalArgumentException                    when it names several (400)
     */
    static IndexMetadata resolve(ClusterState state, IndexNameExpressionResolver resolver, String expression) {
        String[] names =
                resolver.concreteIndexNames(state, IndicesOptions.strictSingleIndexNoExpandForbidClosed(), expression);
        if (names.length != 1) {
            throw new IllegalArgumentException(
                    "[index] must name one index, [" + expression + "] names " + Arrays.toString(names));
        }
        return state.metadata().index(names[0]);
    }
}
