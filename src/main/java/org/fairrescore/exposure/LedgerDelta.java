package org.fairrescore.exposure;

import java.util.Map;

/**
 * What one node hands another of one index's ledger: its epoch and version, and the entries changed since the version
 * the other last saw ({@code full}: every entry, because the other saw another epoch or nothing yet).
 *
 * @param index the index's UUID
 */
public record LedgerDelta(String index, long epoch, long version, boolean full, Map<String, ShopLedger.Entry> entries) {

    /** Which epoch and version of a peer's ledger of one index this node holds. */
    public record Seen(long epoch, long version) {}
}
