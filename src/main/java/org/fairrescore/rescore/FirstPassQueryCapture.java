package org.fairrescore.rescore;

import org.opensearch.search.fetch.FetchContext;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.search.fetch.FetchSubPhaseProcessor;
import org.opensearch.search.rescore.RescoreContext;

/**
 * When a search asks for explain, hands the first-pass query to each {@code fair_semantic} context of the fetch
 * phase. A multi-shard search fetches on a fresh context, so explain needs the query to rebuild the window (same
 * reader, same query, same result) before it can tell each hit's quota decision. Processes no hits itself.
 */
public final class FirstPassQueryCapture implements FetchSubPhase {

    @Override
    public FetchSubPhaseProcessor getProcessor(FetchContext context) {
        if (context.explain() && context.rescore() != null) {
            for (RescoreContext rescore : context.rescore()) {
                if (rescore instanceof FairRescoreContext fair) {
                    fair.firstPassQuery(context.query());
                }
            }
        }
        return null;
    }
}
