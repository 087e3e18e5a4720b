package org.fairrescore.exposure;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One index's exposure ledger as one node records it: per shop, the exposure it received and the merit it brought,
 * both decayed with the index's half-life, and when they were last updated. Bounded: past {@code maxShops} the least
 * recently updated shop goes. Every change gets a new version, so that other nodes can ask for what changed since the
 * version they last saw; the epoch changes whenever versions stop meaning what they meant (the ledger was cleared, or
 * restored after a restart that may have lost changes), which tells them to take the whole ledger again. Pure Java,
 * thread-safe (searches record into it while a sync reads it).
 */
public final class ShopLedger {

    /**
     * A shop's totals as of {@code at} (epoch milliseconds): what they are worth later is
     * {@link Decay#factor(long, long)} times these.
     *
     * @param version the ledger version of the change that wrote this entry
     */
    public record Entry(double exposure, double merit, long at, long version) {

        /** The same totals as of {@code now}. */
        public Entry decayedTo(long now, Decay decay) {
            double f = decay.factor(at, now);
            return new Entry(exposure * f, merit * f, Math.max(at, now), version);
        }
    }

    /** What one shop gets from one event: exposure and merit, both not yet decayed. */
    public record Credit(double exposure, double merit) {
        public Credit plus(double moreExposure, double moreMerit) {
            return new Credit(exposure + moreExposure, merit + moreMerit);
        }
    }

    /** Heap of one entry: the map node, the key string and its characters, the record. */
    public static final long ENTRY_BYTES = 160;

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private int maxShops;
    private long version;
    private long epoch = newEpoch();

    /** @param maxShops most shops kept; the least recently updated one goes first */
    public ShopLedger(int maxShops) {
        this.maxShops = checkMax(maxShops);
    }

    /** Adds exposure and merit to a shop at {@code now}, its earlier totals decayed to {@code now} first. */
    public int add(String shop, double exposure, double merit, long now, Decay decay) {
        return addAll(Map.of(shop, new Credit(exposure, merit)), now, decay);
    }

    /**
     * Adds each shop's credit at {@code now} under one lock (one search's hits, one shard's window).
     *
     * @return the number of shops the bound evicted
     */
    public synchronized int addAll(Map<String, Credit> credits, long now, Decay decay) {
        for (Map.Entry<String, Credit> c : credits.entrySet()) {
            Entry old = entries.get(c.getKey());
            double e = c.getValue().exposure();
            double m = c.getValue().merit();
            if (old != null) {
                Entry aged = old.decayedTo(now, decay);
                e += aged.exposure();
                m += aged.merit();
            }
            entries.put(c.getKey(), new Entry(e, m, Math.max(now, old == null ? now : old.at()), ++version));
        }
        return evictOverBound();
    }

    /** The shops changed after {@code since} (a version this ledger returned before; 0 for all). */
    public synchronized List<Map.Entry<String, Entry>> changedSince(long since) {
        List<Map.Entry<String, Entry>> changed = new ArrayList<>();
        if (since >= version) {
            return changed;
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (e.getValue().version() > since) {
                changed.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        return changed;
    }

    /** The version of the latest change. */
    public synchronized long version() {
        return version;
    }

    /** Changes whenever earlier versions no longer describe this ledger (cleared, or restored after a restart). */
    public synchronized long epoch() {
        return epoch;
    }

    /** Every shop's entry (a copy, least recently updated first). */
    public synchronized Map<String, Entry> entries() {
        return new LinkedHashMap<>(entries);
    }

    /**
     * Puts entries back as they were saved (a restart reading what was persisted). The version continues after theirs
     * and the epoch is new: changes made after the save and lost in the restart must not be mistaken for ones peers
     * already hold.
     */
    public synchronized void restore(Map<String, Entry> saved) {
        for (Map.Entry<String, Entry> e : saved.entrySet()) {
            entries.put(e.getKey(), e.getValue());
            version = Math.max(version, e.getValue().version());
        }
        epoch = newEpoch();
        evictOverBound();
    }

    /** Changes the bound ({@code fair_rescore.exposure.max_shops}); the least recently updated shops go at once. */
    public synchronized int maxShops(int maxShops) {
        this.maxShops = checkMax(maxShops);
        return evictOverBound();
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Drops every shop; a new epoch tells peers to drop what they copied. */
    public synchronized void clear() {
        entries.clear();
        version++;
        epoch = newEpoch();
    }

    private int evictOverBound() {
        int evicted = 0;
        Iterator<String> eldest = entries.keySet().iterator();
        while (entries.size() > maxShops) {
            eldest.next();
            eldest.remove();
            evicted++;
        }
        return evicted;
    }

    private static int checkMax(int maxShops) {
        if (maxShops < 1) {
            throw new IllegalArgumentException("maxShops must be at least 1, got " + maxShops);
        }
        return maxShops;
    }

    private static long newEpoch() {
        long e;
        do {
            e = ThreadLocalRandom.current().nextLong();
        } while (e == 0);
        return e;
    }
}
