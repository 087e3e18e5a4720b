package org.fairrescore.rescore;

import org.opensearch.index.shard.SearchOperationListener;
import org.opensearch.search.internal.SearchContext;
import org.opensearch.search.rescore.RescoreContext;

/**
 * Binds each shard search's cancellation flag to its {@code fair_semantic} contexts when the query phase (and the
 * fetch phase, where explain rebuilds the window) starts, so that inference a cancelled search waits for is given up
 * on and stopped. Registered on every index by the plugin.
 */
public final class SearchCancellationBinder implements SearchOperationListener {

    @Override
    public void onPreQueryPhase(SearchContext searchContext) {
        bind(searchContext);
    }

    @Override
    public void onPreFetchPhase(SearchContext searchContext) {
        bind(searchContext);
    }

    private static void bind(SearchContext searchContext) {
        for (RescoreContext rescore : searchContext.rescore()) {
            if (rescore instanceof FairRescoreContext context) {
                context.cancelled(searchContext::isCancelled);
            }
        }
    }
}
