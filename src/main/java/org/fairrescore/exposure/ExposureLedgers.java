package org.fairrescore.exposure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Every index's exposure ledger on one node: what this node recorded ({@link ShopLedger}, the part it persists and
 * hands to peers), its copies of what each peer recorded, and the merged {@link ExposureView} the rescorer reads,
 * rebuilt after each sync. Indices are keyed by UUID, so that an index deleted and created again under its name
 * starts from nothing. Pure Java and thread-safe; the node service drives it (sync, persistence, index deletion).
 */
public final class ExposureLedgers {

    /** One peer's ledger of one index, as this node last copied it. */
    private static final class Copy {
        long epoch;
        long version;
        final LinkedHashMap<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
    }

    /** One index: this node's ledger, the peers' copies, the merged view. */
    private static final class IndexLedgers {
        final ShopLedger local;
        final Map<String, Copy> copies = new HashMap<>(); // guarded by itself
        volatile ExposureView view = ExposureView.EMPTY;

        IndexLedgers(int maxShops) {
            this.local = new ShopLedger(maxShops);
        }
    }

    private final Map<String, IndexLedgers> indices = new ConcurrentHashMap<>();
    private volatile int maxShops;

    /** @param maxShops most shops kept per index in each ledger ({@code fair_rescore.exposure.max_shops}) */
    public ExposureLedgers(int maxShops) {
        this.maxShops = check(maxShops);
    }

    /** The merged view of {@code index} (a UUID) as of the last rebuild; {@link ExposureView#EMPTY} if none. */
    public ExposureView view(String index) {
        IndexLedgers ledgers = indices.get(index);
        return ledgers == null ? ExposureView.EMPTY : ledgers.view;
    }

    /** Credits shops of {@code index} in this node's ledger; returns the shops the bound evicted. */
    public int credit(String index, Map<String, ShopLedger.Credit> credits, long now, Decay decay) {
        if (credits.isEmpty()) {
            return 0;
        }
        return ledgers(index).local.addAll(credits, now, decay);
    }

    /** This node's own ledger of {@code index} (created empty if none). */
    public ShopLedger local(String index) {
        return ledgers(index).local;
    }

    /** Puts back what this node persisted of {@code index} before a restart. */
    public void restore(String index, Map<String, ShopLedger.Entry> saved) {
        ledgers(index).local.restore(saved);
    }

    /** The indices (UUIDs) with a ledger here. */
    public Set<String> indices() {
        return Set.copyOf(indices.keySet());
    }

    /** What this node holds of {@code peer}'s ledgers: per index, the epoch and version of its copy. */
    public Map<String, LedgerDelta.Seen> seen(String peer) {
        Map<String, LedgerDelta.Seen> seen = new HashMap<>();
        for (Map.Entry<String, IndexLedgers> e : indices.entrySet()) {
            synchronized (e.getValue().copies) {
                Copy copy = e.getValue().copies.get(peer);
                if (copy != null) {
                    seen.put(e.getKey(), new LedgerDelta.Seen(copy.epoch, copy.version));
                }
            }
        }
        return seen;
    }

    /**
     * What a peer that holds {@code seen} of this node's ledgers lacks: per index with a ledger here, the entries changed
     * since the version it holds, or every entry when it holds another epoch or nothing; indices with nothing new are
     * left out.
     */
    public List<LedgerDelta> changesFor(Map<String, LedgerDelta.Seen> seen) {
        List<LedgerDelta> deltas = new ArrayList<>();
        for (Map.Entry<String, IndexLedgers> e : indices.entrySet()) {
            ShopLedger local = e.getValue().local;
            LedgerDelta.Seen theirs = seen.get(e.getKey());
            long epoch;
            long version;
            List<Map.Entry<String, ShopLedger.Entry>> changed;
            boolean full;
            synchronized (local) { // one consistent epoch, version and change set
                epoch = local.epoch();
                version = local.version();
                full = theirs == null || theirs.epoch() != epoch;
                if (full == false && theirs.version() >= version) {
                    continue;
                }
                changed = local.changedSince(full ? 0 : theirs.version());
            }
            Map<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, ShopLedger.Entry> c : changed) {
                entries.put(c.getKey(), c.getValue());
            }
            deltas.add(new LedgerDelta(e.getKey(), epoch, version, full, entries));
        }
        return deltas;
    }

    /**
     * Takes what {@code peer} sent: a full delta replaces this node's copy of that peer's ledger, a partial one updates
     * it. Deltas of indices this node no longer knows are taken too (the index may be new here); deleted indices are
     * dropped by {@link #drop}.
     */
    public void apply(String peer, List<LedgerDelta> deltas) {
        for (LedgerDelta delta : deltas) {
            IndexLedgers ledgers = ledgers(delta.index());
            synchronized (ledgers.copies) {
                Copy copy = ledgers.copies.computeIfAbsent(peer, p -> new Copy());
                if (delta.full()) {
                    copy.entries.clear();
                } else if (copy.epoch != delta.epoch()) {
                    continue; // a partial delta of another epoch cannot be laid over this copy: the next sync asks
                    // again
                }
                for (Map.Entry<String, ShopLedger.Entry> e : delta.entries().entrySet()) {
                    copy.entries.remove(e.getKey()); // re-inserted last: the copy's order is its update order
                    copy.entries.put(e.getKey(), e.getValue());
                }
                Iterator<String> eldest = copy.entries.keySet().iterator();
                while (copy.entries.size() > maxShops) {
                    eldest.next();
                    eldest.remove();
                }
                copy.epoch = delta.epoch();
                copy.version = delta.version();
            }
        }
    }

    /**
     * Builds each index's merged view anew from this node's ledger and its copies of the peers', decayed to {@code now}
     * with the index's half-life ({@code decay} of its UUID; an index for which it answers null keeps its view).
     */
    public void rebuild(long now, Function<String, Decay> decay) {
        for (Map.Entry<String, IndexLedgers> e : indices.entrySet()) {
            Decay d = decay.apply(e.getKey());
            if (d == null) {
                continue;
            }
            IndexLedgers ledgers = e.getValue();
            List<Map<String, ShopLedger.Entry>> parts = new ArrayList<>();
            parts.add(ledgers.local.entries());
            synchronized (ledgers.copies) {
                for (Copy copy : ledgers.copies.values()) {
                    parts.add(new HashMap<>(copy.entries));
                }
            }
            ledgers.view = ExposureView.of(parts, now, d);
        }
    }

    /** Forgets {@code index} (deleted): this node's ledger, its copies and its view. */
    public void drop(String index) {
        indices.remove(index);
    }

    /**
     * Empties {@code index}'s ledger here, the copies of the peers' and the view (a reset, sent to every node): the
     * new epoch makes the peers drop their copies of this node's ledger at the next sync.
     */
    public void clear(String index) {
        IndexLedgers ledgers = indices.get(index);
        if (ledgers == null) {
            return;
        }
        ledgers.local.clear();
        synchronized (ledgers.copies) {
            ledgers.copies.clear();
        }
        ledgers.view = ExposureView.EMPTY;
    }

    /** Changes the bound on shops per ledger; this node's ledgers shrink at once, the copies at their next update. */
    public void maxShops(int maxShops) {
        this.maxShops = check(maxShops);
        for (IndexLedgers ledgers : indices.values()) {
            ledgers.local.maxShops(maxShops);
        }
    }

    /** Entries held here, this node's and the copies (what the breaker is charged for). */
    public long entries() {
        long n = 0;
        for (IndexLedgers ledgers : indices.values()) {
            n += ledgers.local.size();
            synchronized (ledgers.copies) {
                for (Copy copy : ledgers.copies.values()) {
                    n += copy.entries.size();
                }
            }
        }
        return n;
    }

    private IndexLedgers ledgers(String index) {
        return indices.computeIfAbsent(index, i -> new IndexLedgers(maxShops));
    }

    private static int check(int maxShops) {
        if (maxShops < 1) {
            throw new IllegalArgumentException("maxShops must be at least 1, got " + maxShops);
        }
        return maxShops;
    }
}
