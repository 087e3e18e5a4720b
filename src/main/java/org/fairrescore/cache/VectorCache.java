package org.fairrescore.cache;

import org.fairrescore.model.InferenceInterruptedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used map from keys to vectors, bounded by an estimate of the heap bytes its entries hold, with
 * single-flight loading: while one caller computes a key's vector, concurrent callers asking for the same key wait
 * for that result instead of computing it again. Keys may belong to a group (e.g. the index segment a document lives
 * in) that can be dropped at once.
 *
 * <p>One lock guards the map; every operation under it is a few map updates, never a computation. Loads run outside
 * the lock. A failed load is not cached; its waiters get the same exception.
 *
 * @param <K> the key; must implement {@code equals} and {@code hashCode}
 */
public final class VectorCache<K> {

    /** Heap bytes of one entry beyond its key and vector: map node, links, entry object. */
    static final long ENTRY_OVERHEAD = 80;

    private final ToLongFunction<K> keyBytes;
    private final Function<K, Object> groupOf;
    private final Object lock = new Object();
    private final LinkedHashMap<K, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Object, Set<K>> groups = new HashMap<>();
    private final ConcurrentHashMap<K, CompletableFuture<float[]>> inFlight = new ConcurrentHashMap<>();

    /**
     * A load in flight. {@code awaited}: a search waited for it (and was counted a miss and a wait), so a prefetch's
     * vector is no longer ahead of its search when it lands: the next lookup is a hit, not a second miss.
     */
    private static final class Load extends CompletableFuture<float[]> {
        volatile boolean awaited;
    }

    private long maxBytes;
    private long bytes;
    private volatile LongConsumer accounting = delta -> {};

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder waits = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /** A cached vector; {@code ahead} while no search has yet looked up a vector loaded ahead of it (a prefetch). */
    private static final class Entry {
        final float[] vector;
        final long weight;
        boolean ahead; // guarded by lock

        Entry(float[] vector, long weight) {
            this.vector = vector;
            this.weight = weight;
        }
    }

    /** What a cache holds and has done since it was created. */
    public record Stats(
            long entries, long bytes, long maxBytes, long hits, long misses, long loads, long waits, long evictions) {}

    /**
     * @param maxBytes heap bytes the entries may hold; 0 caches nothing (loads still run once per concurrent key)
     * @param keyBytes estimated heap bytes of a key
     * @param groupOf  the group of a key, or null for caches without groups
     */
    public VectorCache(long maxBytes, ToLongFunction<K> keyBytes, Function<K, Object> groupOf) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.keyBytes = keyBytes;
        this.groupOf = groupOf;
    }

    /**
     * Reports every later change of the bytes this cache holds to {@code accounting} (e.g. a circuit breaker), the
     * bytes already held first. Called under the cache's lock: it must be quick and must not throw.
     */
    public void accountTo(LongConsumer accounting) {
        synchronized (lock) {
            this.accounting.accept(-bytes);
            this.accounting = java.util.Objects.requireNonNull(accounting);
            accounting.accept(bytes);
        }
    }

    private void adjust(long delta) {
        bytes += delta;
        accounting.accept(delta);
    }

    /** Estimated heap bytes of a float[] of {@code length}. */
    public static long vectorBytes(int length) {
        return 16 + 4L * length;
    }

    /** Estimated heap bytes of a String of {@code length} chars (Latin-1 or UTF-16 alike: counted at 2 bytes a char). */
    public static long stringBytes(int length) {
        return 40 + 2L * length;
    }

    /**
     * The cached vector (marked as recently used), or null. Counts a hit or a miss; the first lookup of a vector
     * loaded ahead ({@link #prefetchAsync}) counts a miss and a wait, as if it had found that load still running: it
     * is the search the load was started for, not one served by an earlier search.
     */
    public float[] get(K key) {
        synchronized (lock) {
            Entry e = entries.get(key);
            if (e == null) {
                misses.increment();
                return null;
            }
            if (e.ahead) {
                e.ahead = false;
                misses.increment();
                waits.increment();
            } else {
                hits.increment();
            }
            return e.vector;
        }
    }

    /** The cached vector without touching recency or counters, or null. */
    public float[] peek(K key) {
        synchronized (lock) {
            Entry e = entries.get(key);
            return e == null ? null : e.vector;
        }
    }

    /** Caches a vector, evicting least recently used entries beyond the byte bound; entries larger than it are not kept. */
    public void put(K key, float[] vector) {
        put(key, vector, false);
    }

    private void clearAhead(K key) {
        synchronized (lock) {
            Entry e = entries.get(key);
            if (e != null) {
                e.ahead = false;
            }
        }
    }

    private void put(K key, float[] vector, boolean ahead) {
        long weight = keyBytes.applyAsLong(key) + vectorBytes(vector.length) + ENTRY_OVERHEAD;
        synchronized (lock) {
            if (weight > maxBytes) {
                return;
            }
            Entry entry = new Entry(vector, weight);
            entry.ahead = ahead;
            Entry old = entries.put(key, entry);
            if (old != null) {
                adjust(-old.weight);
            } else if (groupOf != null) {
                groups.computeIfAbsent(groupOf.apply(key), g -> new HashSet<>()).add(key);
            }
            adjust(weight);
            evictOverflow();
        }
    }

    /**
     * The vector for {@code key}: cached, or being computed by another caller (then this waits for it), or computed
     * here by {@code loader} and cached.
     */
    public float[] computeIfAbsent(K key, Function<K, float[]> loader) {
        return getAll(List.of(key), keys -> new float[][] {loader.apply(keys.get(0))})[0];
    }

    /**
     * The vector for {@code key} without blocking: cached (a completed future), being loaded by another caller (that
     * load's future), or started here by {@code loader} and cached when it completes. A load that fails is not cached
     * and fails every caller waiting for it.
     *
     * @throws RuntimeException what {@code loader} throws when it cannot start the load (e.g. a full inference queue)
     */
    public CompletableFuture<float[]> getAsync(K key, Function<K, CompletableFuture<float[]>> loader) {
        float[] cached = get(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        Claim claim = claim(key);
        if (claim.owned()) {
            load(key, claim.future(), loader, false);
        }
        return claim.future();
    }

    /**
     * Starts loading {@code key} ahead of the searches that will look it up (nothing when it is cached or already
     * being loaded), without counting a lookup: the searches count theirs when they come (a miss and a wait each, see
     * {@link #get}), the load counts as a load.
     *
     * @throws RuntimeException what {@code loader} throws when it cannot start the load (e.g. a full inference queue)
     */
    public void prefetchAsync(K key, Function<K, CompletableFuture<float[]>> loader) {
        if (peek(key) != null) {
            return;
        }
        Claim claim = claim(key, false);
        if (claim.owned()) {
            load(key, claim.future(), loader, true);
        }
    }

    /** Starts {@code loader} for a claimed key and settles the claim when it completes ({@code ahead}: a prefetch). */
    private void load(
            K key, CompletableFuture<float[]> own, Function<K, CompletableFuture<float[]>> loader, boolean ahead) {
        CompletableFuture<float[]> load;
        try {
            load = loader.apply(key);
        } catch (RuntimeException | Error e) {
            settle(key, own, null, e);
            throw e;
        }
        load.whenComplete((vector, failure) -> settle(
                key,
                own,
                vector,
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure,
                ahead));
    }

    /**
     * What a caller that missed the cache gets for a key: another caller's load to wait for (counted as a wait), the
     * vector cached in the meantime (a completed future), or a new load it owns and must {@link #settle}.
     */
    private record Claim(CompletableFuture<float[]> future, boolean owned) {}

    private Claim claim(K key) {
        return claim(key, true);
    }

    private Claim claim(K key, boolean countWait) {
        CompletableFuture<float[]> created = new Load();
        CompletableFuture<float[]> other = inFlight.putIfAbsent(key, created);
        if (other != null) {
            if (countWait) {
                waits.increment();
                // the load may have landed already: then its entry must not stay ahead either (settle checks the flag
                // after it puts, this clears after it sets: one of the two sees the other)
                ((Load) other).awaited = true;
                clearAhead(key);
            }
            return new Claim(other, false);
        }
        float[] raced = peek(key); // completed and cached between get() and putIfAbsent()
        if (raced != null) {
            inFlight.remove(key, created);
            created.complete(raced);
            return new Claim(created, false);
        }
        return new Claim(created, true);
    }

    /** Ends an owned load: caches the vector and hands it to the waiters, or hands them the failure (nothing cached). */
    private void settle(K key, CompletableFuture<float[]> own, float[] vector, Throwable failure) {
        settle(key, own, vector, failure, false);
    }

    private void settle(K key, CompletableFuture<float[]> own, float[] vector, Throwable failure, boolean ahead) {
        if (failure == null) {
            loads.increment();
            put(key, vector, ahead);
            if (ahead && own instanceof Load load && load.awaited) {
                clearAhead(key);
            }
            inFlight.remove(key, own);
            own.complete(vector);
        } else {
            inFlight.remove(key, own);
            own.completeExceptionally(failure);
        }
    }

    /**
     * Vectors for all keys, in order. Cached ones are returned as they are; keys that another caller is computing are
     * waited for; the rest go to {@code loader} in one call (in the order given, without duplicates) and are cached.
     *
     * @param loader vectors for a list of keys, element {@code i} for key {@code i}
     */
    public float[][] getAll(List<K> keys, Function<List<K>, float[][]> loader) {
        int n = keys.size();
        float[][] out = new float[n][];
        List<K> mine = new ArrayList<>();
        Map<K, CompletableFuture<float[]>> claimed = new HashMap<>();
        List<Integer> pending = new ArrayList<>();
        List<CompletableFuture<float[]>> pendingFutures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            K key = keys.get(i);
            float[] cached = get(key);
            if (cached != null) {
                out[i] = cached;
                continue;
            }
            CompletableFuture<float[]> own = claimed.get(key); // a key listed twice: the load this call owns
            if (own == null) {
                Claim claim = claim(key);
                own = claim.future();
                if (claim.owned()) {
                    claimed.put(key, own);
                    mine.add(key);
                } else if (own.isDone() && own.isCompletedExceptionally() == false) {
                    out[i] = own.join(); // cached in the meantime
                    continue;
                }
            }
            pending.add(i);
            pendingFutures.add(own);
        }
        if (mine.isEmpty() == false) {
            float[][] loaded;
            try {
                loaded = loader.apply(mine);
                if (loaded.length != mine.size()) {
                    throw new IllegalStateException(
                            "loader returned " + loaded.length + " vectors for " + mine.size() + " keys");
                }
            } catch (RuntimeException | Error e) {
                for (K key : mine) {
                    settle(key, claimed.get(key), null, e);
                }
                throw e;
            }
            for (int j = 0; j < mine.size(); j++) {
                settle(mine.get(j), claimed.get(mine.get(j)), loaded[j], null);
            }
        }
        List<Integer> abandoned = new ArrayList<>();
        for (int p = 0; p < pending.size(); p++) {
            try {
                out[pending.get(p)] = pendingFutures.get(p).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                // an interrupted load says nothing about the keys (its caller gave up: time out, cancel): waiters load
                // them
                if (cause instanceof InferenceInterruptedException
                        && claimed.containsValue(pendingFutures.get(p)) == false) {
                    abandoned.add(pending.get(p)); // another caller gave up on it: load it here
                    continue;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
        if (abandoned.isEmpty() == false) {
            List<K> retry = new ArrayList<>(abandoned.size());
            for (int i : abandoned) {
                retry.add(keys.get(i));
            }
            float[][] again = getAll(retry, loader);
            for (int j = 0; j < again.length; j++) {
                out[abandoned.get(j)] = again[j];
            }
        }
        return out;
    }

    /** Drops every entry of a group. */
    public void invalidateGroup(Object group) {
        synchronized (lock) {
            Set<K> keys = groups.remove(group);
            if (keys == null) {
                return;
            }
            for (K key : keys) {
                Entry e = entries.remove(key);
                if (e != null) {
                    adjust(-e.weight);
                }
            }
        }
    }

    /** Drops everything. */
    public void clear() {
        synchronized (lock) {
            entries.clear();
            groups.clear();
            adjust(-bytes);
        }
    }

    /** Changes the byte bound, evicting at once if the cache holds more. */
    public void setMaxBytes(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        synchronized (lock) {
            this.maxBytes = maxBytes;
            evictOverflow();
        }
    }

    /** The byte bound. */
    public long maxBytes() {
        synchronized (lock) {
            return maxBytes;
        }
    }

    /** Number of groups that hold entries (for tests and stats). */
    public int groupCount() {
        synchronized (lock) {
            return groups.size();
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(
                    entries.size(),
                    bytes,
                    maxBytes,
                    hits.sum(),
                    misses.sum(),
                    loads.sum(),
                    waits.sum(),
                    evictions.sum());
        }
    }

    private void evictOverflow() {
        Iterator<Map.Entry<K, Entry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<K, Entry> eldest = it.next();
            it.remove();
            adjust(-eldest.getValue().weight);
            evictions.increment();
            if (groupOf != null) {
                Object group = groupOf.apply(eldest.getKey());
                Set<K> members = groups.get(group);
                if (members != null) {
                    members.remove(eldest.getKey());
                    if (members.isEmpty()) {
                        groups.remove(group);
                    }
                }
            }
        }
    }
}
