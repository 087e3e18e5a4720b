package org.fairrescore.action;

import org.opensearch.action.ActionType;

/** {@code GET _plugins/_fair_rescore/stats}: every node's (or the named nodes') fair-rescore counters. */
public final class FairRescoreStatsAction extends ActionType<FairRescoreStatsResponse> {

    public static final String NAME = "cluster:monitor/fair_rescore/stats";
    public static final FairRescoreStatsAction INSTANCE = new FairRescoreStatsAction();

    private FairRescoreStatsAction() {
        super(NAME, FairRescoreStatsResponse::new);
    }
}
