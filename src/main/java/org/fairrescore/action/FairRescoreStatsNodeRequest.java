package org.fairrescore.action;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

import java.io.IOException;

/** The per-node part of a {@link FairRescoreStatsRequest}: it carries nothing, each node answers with all it has. */
public final class FairRescoreStatsNodeRequest extends TransportRequest {

    public FairRescoreStatsNodeRequest() {}

    public FairRescoreStatsNodeRequest(StreamInput in) throws IOException {
        super(in);
    }
}
