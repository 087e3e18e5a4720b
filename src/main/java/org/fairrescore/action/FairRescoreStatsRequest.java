package org.fairrescore.action;

import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

import java.io.IOException;

/** Which nodes to read the fair-rescore counters of (node ids, names or selectors such as {@code _local}; none: all). */
public final class FairRescoreStatsRequest extends BaseNodesRequest<FairRescoreStatsRequest> {

    public FairRescoreStatsRequest(String... nodeIds) {
        super(nodeIds);
    }

    public FairRescoreStatsRequest(StreamInput in) throws IOException {
        super(in);
    }
}
