package org.fairrescore.cache;

import org.fairrescore.model.InferenceInterruptedException;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

public class VectorCacheTests extends OpenSearchTestCase {

    /** Keys weigh 0; every entry of a 4-float vector weighs exactly this. */
    private static final long ENTRY = VectorCache.vectorBytes(4) + VectorCache.ENTRY_OVERHEAD;

    private static VectorCache<String> cache(long entries) {
        return new VectorCache<>(entries * ENTRY, k -> 0, k -> k.substring(0, 1));
    }

    private static float[] v(float x) {
        return new float[] {x, 0, 0, 0};
    }

    public void testBoundedInBytesEvictingLeastRecentlyUsed() {
        VectorCache<String> c = cache(3);
        c.put("a1", v(1));
        c.put("a2", v(2));
        c.put("b3", v(3));
        assertEquals(3 * ENTRY, c.stats().bytes());
        assertNotNull(c.get("a1")); // a1 is now the most recent; a2 the eldest
        c.put("b4", v(4));
        assertNull("eldest evicted", c.peek("a2"));
        assertNotNull(c.peek("a1"));
        assertNotNull(c.peek("b3"));
        assertNotNull(c.peek("b4"));
        assertEquals(3, c.stats().entries());
        assertEquals(3 * ENTRY, c.stats().bytes());
        assertEquals(1, c.stats().evictions());
        assertTrue(c.stats().bytes() <= c.stats().maxBytes());
    }

    public void testGetAsyncStartsOneLoadPerKeyAndNeverBlocks() throws Exception {
        VectorCache<String> c = cache(3);
        java.util.concurrent.CompletableFuture<float[]> load = new java.util.concurrent.CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        java.util.concurrent.CompletableFuture<float[]> first = c.getAsync("a1", k -> {
            started.incrementAndGet();
            return load;
        });
        java.util.concurrent.CompletableFuture<float[]> second = c.getAsync("a1", k -> {
            throw new AssertionError("a second load of the same key");
        });
        assertFalse(first.isDone());
        assertEquals(1, c.stats().waits());
        load.complete(v(3));
        assertEquals(3f, first.get()[0], 0f);
        assertSame(first.get(), second.get());
        assertEquals(1, started.get());
        assertEquals(
                3f,
                c.getAsync("a1", k -> {
                            throw new AssertionError("cached");
                        })
                        .get()[0],
                0f);
        assertEquals(1, c.stats().hits());
        assertEquals(1, c.stats().loads());
    }

    public void testAPrefetchIsOneLoadAndItsSearchesCountAsWaitingForIt() throws Exception {
        VectorCache<String> c = cache(3);
        java.util.concurrent.CompletableFuture<float[]> load = new java.util.concurrent.CompletableFuture<>();
        c.prefetchAsync("a1", k -> load);
        c.prefetchAsync("a1", k -> {
            throw new AssertionError("a second load of the same key");
        });
        assertEquals(
                "no search looked anything up yet",
                0,
                c.stats().hits() + c.stats().misses() + c.stats().waits());

        // a search arriving while the prefetch runs waits for it (a miss and a wait), like a second shard would
        java.util.concurrent.CompletableFuture<float[]> during = c.getAsync("a1", k -> {
            throw new AssertionError("loads again");
        });
        assertFalse(during.isDone());
        load.complete(v(5));
        assertEquals(5f, during.get()[0], 0f);
        assertEquals(1, c.stats().loads());
        assertEquals(1, c.stats().misses());
        assertEquals(1, c.stats().waits());
        // that search was the prefetch's own: the next search of the text is served by the cache (a hit), not counted
        // as a second search the prefetch started for
        assertEquals(5f, c.get("a1")[0], 0f);
        assertEquals(1, c.stats().hits());
        assertEquals(1, c.stats().misses());

        // a prefetch that finished before its search came: that search still counts a miss and a wait, the next a hit
        c.prefetchAsync("a2", k -> java.util.concurrent.CompletableFuture.completedFuture(v(6)));
        assertEquals(
                6f,
                c.getAsync("a2", k -> {
                            throw new AssertionError("cached");
                        })
                        .get()[0],
                0f);
        assertEquals(2, c.stats().misses());
        assertEquals(2, c.stats().waits());
        assertEquals(1, c.stats().hits());
        assertEquals(6f, c.get("a2")[0], 0f);
        assertEquals(2, c.stats().hits());
        assertEquals(2, c.stats().loads());

        // a prefetch the pool refuses leaves nothing in flight: the search loads the key itself
        expectThrows(
                java.util.concurrent.RejectedExecutionException.class,
                () -> c.prefetchAsync("a3", k -> {
                    throw new java.util.concurrent.RejectedExecutionException("full");
                }));
        assertEquals(
                7f,
                c.getAsync("a3", k -> java.util.concurrent.CompletableFuture.completedFuture(v(7)))
                        .get()[0],
                0f);
    }

    public void testGetAsyncFailuresAreNotCachedAndARefusedStartIsRethrown() throws Exception {
        VectorCache<String> c = cache(3);
        java.util.concurrent.CompletableFuture<float[]> failed = c.getAsync(
                "a1",
                k -> java.util.concurrent.CompletableFuture.failedFuture(
                        new IllegalStateException("inference failed")));
        java.util.concurrent.ExecutionException e =
                expectThrows(java.util.concurrent.ExecutionException.class, failed::get);
        assertEquals("inference failed", e.getCause().getMessage());
        java.util.concurrent.RejectedExecutionException full = expectThrows(
                java.util.concurrent.RejectedExecutionException.class,
                () -> c.getAsync("a1", k -> {
                    throw new java.util.concurrent.RejectedExecutionException("queue full");
                }));
        assertEquals("queue full", full.getMessage());
        // nothing stuck in flight: the next caller loads it
        assertEquals(
                5f,
                c.getAsync("a1", k -> java.util.concurrent.CompletableFuture.completedFuture(v(5)))
                        .get()[0],
                0f);
        assertEquals(5f, c.peek("a1")[0], 0f);
    }

    public void testReplacingAnEntryKeepsTheAccountRight() {
        VectorCache<String> c = cache(2);
        c.put("a", v(1));
        c.put("a", v(2));
        assertEquals(1, c.stats().entries());
        assertEquals(ENTRY, c.stats().bytes());
        assertEquals(2f, c.get("a")[0], 0f);
    }

    public void testKeyBytesCount() {
        VectorCache<String> c = new VectorCache<>(2 * ENTRY + 100, k -> VectorCache.stringBytes(k.length()), null);
        c.put("x".repeat(30), v(1)); // weighs ENTRY + 100
        c.put("y", v(2)); // weighs ENTRY + 42: together over the bound
        assertNull(c.peek("x".repeat(30)));
        assertNotNull(c.peek("y"));
    }

    public void testEntryLargerThanTheBoundIsNotKeptAndZeroDisables() {
        VectorCache<String> c = new VectorCache<>(ENTRY - 1, k -> 0, null);
        c.put("a", v(1));
        assertNull(c.peek("a"));
        assertEquals(0, c.stats().bytes());
        VectorCache<String> off = new VectorCache<>(0, k -> 0, null);
        AtomicInteger loads = new AtomicInteger();
        assertEquals(
                7f,
                off.computeIfAbsent("a", k -> {
                    loads.incrementAndGet();
                    return v(7);
                })[0],
                0f);
        off.computeIfAbsent("a", k -> {
            loads.incrementAndGet();
            return v(7);
        });
        assertEquals("a disabled cache loads every time", 2, loads.get());
        assertEquals(0, off.stats().entries());
    }

    public void testShrinkingTheBoundEvicts() {
        VectorCache<String> c = cache(4);
        for (int i = 0; i < 4; i++) {
            c.put("a" + i, v(i));
        }
        c.setMaxBytes(ENTRY);
        assertEquals(1, c.stats().entries());
        assertNotNull("the most recent stays", c.peek("a3"));
        c.setMaxBytes(0);
        assertEquals(0, c.stats().entries());
        assertEquals(0, c.stats().bytes());
        expectThrows(IllegalArgumentException.class, () -> c.setMaxBytes(-1));
    }

    public void testInvalidateGroupDropsOnlyThatGroup() {
        VectorCache<String> c = cache(10);
        c.put("a1", v(1));
        c.put("a2", v(2));
        c.put("b1", v(3));
        assertEquals(2, c.groupCount());
        c.invalidateGroup("a");
        assertNull(c.peek("a1"));
        assertNull(c.peek("a2"));
        assertNotNull(c.peek("b1"));
        assertEquals(ENTRY, c.stats().bytes());
        assertEquals(1, c.groupCount());
        c.invalidateGroup("zzz"); // unknown group: nothing happens
        assertEquals(1, c.stats().entries());
    }

    public void testEvictionEmptiesGroups() {
        VectorCache<String> c = cache(1);
        c.put("a1", v(1));
        c.put("b1", v(2));
        assertEquals(1, c.groupCount());
        c.clear();
        assertEquals(0, c.groupCount());
        assertEquals(0, c.stats().bytes());
    }

    public void testGetAllLoadsOnlyMissingKeysOnceInOrder() {
        VectorCache<String> c = cache(10);
        c.put("a1", v(1));
        List<List<String>> calls = new ArrayList<>();
        float[][] got = c.getAll(List.of("a3", "a1", "a2", "a3"), keys -> {
            calls.add(List.copyOf(keys));
            float[][] out = new float[keys.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = v(Float.parseFloat(keys.get(i).substring(1)));
            }
            return out;
        });
        assertEquals(List.of(List.of("a3", "a2")), calls);
        assertEquals(3f, got[0][0], 0f);
        assertEquals(1f, got[1][0], 0f);
        assertEquals(2f, got[2][0], 0f);
        assertEquals(3f, got[3][0], 0f);
        assertEquals(3, c.stats().entries());
        assertEquals(2, c.stats().loads());
    }

    public void testConcurrentIdenticalKeysAreLoadedOnce() throws Exception {
        VectorCache<String> c = cache(10);
        int threads = 8;
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        float[][] results = new float[threads][];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    results[id] = c.computeIfAbsent("a-query", k -> {
                        loads.incrementAndGet();
                        try {
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        return v(42);
                    });
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers.add(w);
            w.start();
        }
        // wait until every worker is either loading or waiting on the load
        assertBusy(() -> assertEquals(threads - 1, c.stats().waits() + c.stats().hits()));
        release.countDown();
        for (Thread w : workers) {
            w.join(10_000);
        }
        assertNull(failure.get());
        assertEquals("one load for eight identical concurrent requests", 1, loads.get());
        for (float[] r : results) {
            assertSame(results[0], r);
        }
    }

    public void testAFailedLoadReachesItsWaitersAndIsNotCached() throws Exception {
        VectorCache<String> c = cache(10);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> waiterSaw = new AtomicReference<>();
        Thread loader = new Thread(() -> {
            try {
                c.computeIfAbsent("a", k -> {
                    loading.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    throw new IllegalStateException("model crashed");
                });
            } catch (IllegalStateException expected) {
                // the loader sees its own failure
            }
        });
        loader.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        Thread waiter = new Thread(() -> {
            try {
                c.computeIfAbsent("a", k -> v(1));
            } catch (Throwable e) {
                waiterSaw.set(e);
            }
        });
        waiter.start();
        assertBusy(() -> assertEquals(1, c.stats().waits()));
        release.countDown();
        loader.join(10_000);
        waiter.join(10_000);
        assertNotNull(waiterSaw.get());
        assertEquals("model crashed", waiterSaw.get().getMessage());
        assertNull(c.peek("a"));
        assertEquals(5f, c.computeIfAbsent("a", k -> v(5))[0], 0f);
    }

    public void testQueryCacheKeysByModelAndText() {
        QueryEmbeddingCache q = new QueryEmbeddingCache(1 << 20);
        AtomicInteger loads = new AtomicInteger();
        java.util.function.Function<String, float[]> embed = t -> {
            loads.incrementAndGet();
            return v(t.length());
        };
        float[] a = q.get("m1", "shoes", embed);
        assertSame(a, q.get("m1", "shoes", embed));
        assertEquals(1, loads.get());
        q.get("m2", "shoes", embed);
        q.get("m1", "Shoes", embed);
        assertEquals(3, loads.get());
        assertEquals(3, q.stats().entries());
        q.setMaxBytes(0);
        assertEquals(0, q.stats().entries());
    }

    public void testDocumentCacheDropsASegmentWhenItCloses() {
        DocumentEmbeddingCache d = new DocumentEmbeddingCache(1 << 20);
        Object segA = new Object();
        Object segB = new Object();
        assertTrue(d.track(segA));
        assertFalse(d.track(segA));
        assertTrue(d.track(segB));
        List<DocumentEmbeddingCache.Key> keys = List.of(
                new DocumentEmbeddingCache.Key(segA, 1, "m"),
                new DocumentEmbeddingCache.Key(segA, 2, "m"),
                new DocumentEmbeddingCache.Key(segB, 1, "m"));
        d.getAll(keys, ks -> {
            float[][] out = new float[ks.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = v(i);
            }
            return out;
        });
        assertEquals(3, d.stats().entries());
        assertEquals(2, d.cachedSegments());
        d.segmentClosed(segA);
        assertEquals(1, d.stats().entries());
        assertEquals(1, d.cachedSegments());
        assertEquals(1, d.trackedSegments());
        assertTrue(
                "a closed segment can be tracked again (a new reader with the same key object is impossible, but harmless)",
                d.track(segA));
    }

    public void testWaitersOfAnAbandonedLoadLoadTheKeysThemselves() throws Exception {
        VectorCache<String> c = cache(10);
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> loaderSaw = new AtomicReference<>();
        Thread giveUp = new Thread(() -> {
            try {
                c.computeIfAbsent("a-doc", k -> {
                    loading.countDown();
                    try {
                        assertTrue(waiting.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    throw new InferenceInterruptedException(
                            InferenceInterruptedException.Reason.TIMED_OUT, "inference timed out");
                });
            } catch (Throwable e) {
                loaderSaw.set(e);
            }
        });
        giveUp.start();
        assertTrue(loading.await(10, TimeUnit.SECONDS));
        AtomicInteger ownLoads = new AtomicInteger();
        AtomicReference<float[]> got = new AtomicReference<>();
        Thread waiter = new Thread(() -> got.set(c.computeIfAbsent("a-doc", k -> {
            ownLoads.incrementAndGet();
            return v(7);
        })));
        waiter.start();
        assertBusy(() -> assertEquals(1, c.stats().waits()));
        waiting.countDown();
        giveUp.join(10_000);
        waiter.join(10_000);
        assertTrue(loaderSaw.get() instanceof InferenceInterruptedException);
        assertEquals("the waiter loaded it after the first caller gave up", 1, ownLoads.get());
        assertEquals(7f, got.get()[0], 0f);
        assertEquals(7f, c.peek("a-doc")[0], 0f);
    }

    public void testAccountingFollowsEveryChangeOfTheHeldBytes() {
        VectorCache<String> c = cache(3);
        c.put("a1", v(1));
        java.util.concurrent.atomic.AtomicLong accounted = new java.util.concurrent.atomic.AtomicLong();
        c.accountTo(accounted::addAndGet);
        assertEquals("what was held before counts at once", ENTRY, accounted.get());
        c.put("a2", v(2));
        c.put("b1", v(3));
        c.put("b2", v(4)); // evicts a1
        assertEquals(c.stats().bytes(), accounted.get());
        assertEquals(3 * ENTRY, accounted.get());
        c.invalidateGroup("b");
        assertEquals(ENTRY, accounted.get());
        c.setMaxBytes(0);
        assertEquals(0, accounted.get());
        c.setMaxBytes(10 * ENTRY);
        c.put("c1", v(5));
        c.clear();
        assertEquals(0, accounted.get());
    }
}
