package org.fairrescore.action;

import org.fairrescore.exposure.ExposureLedgers;
import org.fairrescore.exposure.LedgerDelta;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.core.action.ActionListener;

import java.util.List;
import java.util.Map;

/**
 * What the exposure actions ask of the node: its ledgers, a sync with the other nodes now (before a read, so that it
 * answers with every node's latest), a reset of one index's ledger here, and the node's counters.
 */
public final class NodeExposure {

    /** The node service that keeps the ledgers in sync and on disk. */
    public interface Service {
        ExposureLedgers ledgers();

        /** Copies every other node's changes now and rebuilds the views; {@code done} also hears of a partial sync. */
        void syncNow(ActionListener<Void> done);

        /** Empties the ledger of {@code index} (a UUID) on this node, in memory and on disk. */
        void clear(String index);

        FairRescoreStats stats();
    }

    private final Service service;

    public NodeExposure(Service service) {
        this.service = service;
    }

    public ExposureLedgers ledgers() {
        return service.ledgers();
    }

    /** What a peer holding {@code seen} of this node's ledgers lacks. */
    public List<LedgerDelta> changesFor(Map<String, LedgerDelta.Seen> seen) {
        return service.ledgers().changesFor(seen);
    }

    public void syncNow(ActionListener<Void> done) {
        service.syncNow(done);
    }

    public void clear(String index) {
        service.clear(index);
    }

    public FairRescoreStats stats() {
        return service.stats();
    }
}
