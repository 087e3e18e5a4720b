package org.fairrescore.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load saw, per phase and kind of request: answers, failures by reason, requests that succeeded on another
 * node after a connection error, latencies of the successful ones; every failure with its time, so the summary can
 * tell the seconds right after the kill from the rest; and the quota check of every pipeline response.
 */
final class LoadStats {

    enum Op {
        SEARCH("search"),
        SEARCH_PIPELINE("search+pipeline"),
        BULK("bulk"),
        SETTINGS("settings");

        final String label;

        Op(String label) {
            this.label = label;
        }

        boolean search() {
            return this == SEARCH || this == SEARCH_PIPELINE;
        }
    }

    /** One kind of request in one phase. */
    static final class Cell {
        final LongAdder ok = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder failedOver = new LongAdder();
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

        long total() {
            return ok.sum() + failed.sum();
        }
    }

    /** A failed request: when (System.nanoTime), what, why. */
    record Failure(long at, Phase phase, Op op, String reason, String detail) {}

    /** The quota check of the pipeline responses of one phase. */
    static final class QuotaTally {
        final LongAdder responses = new LongAdder();
        final LongAdder feasible = new LongAdder();
        final LongAdder feasibleHeld = new LongAdder();
        final LongAdder infeasible = new LongAdder();
        final LongAdder undetermined = new LongAdder();
    }

    final Map<Phase, Map<Op, Cell>> cells = new EnumMap<>(Phase.class);
    final Map<Phase, QuotaTally> quota = new EnumMap<>(Phase.class);
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> quotaViolations = new ConcurrentLinkedQueue<>();
    /** Bulk items the cluster acknowledged (201/200), and those it refused, by reason. */
    final Map<Phase, LongAdder> itemsAcked = new EnumMap<>(Phase.class);
    final Map<String, LongAdder> itemErrors = new ConcurrentHashMap<>();
    final AtomicLong failureCount = new AtomicLong();

    LoadStats() {
        for (Phase p : Phase.values()) {
            Map<Op, Cell> ops = new EnumMap<>(Op.class);
            for (Op op : Op.values()) {
                ops.put(op, new Cell());
            }
            cells.put(p, ops);
            quota.put(p, new QuotaTally());
            itemsAcked.put(p, new LongAdder());
        }
    }

    Cell cell(Phase phase, Op op) {
        return cells.get(phase).get(op);
    }

    void ok(Phase phase, Op op, long nanos, boolean failedOver) {
        Cell c = cell(phase, op);
        c.ok.increment();
        c.latencies.add(nanos);
        if (failedOver) {
            c.failedOver.increment();
        }
    }

    void failed(Phase phase, Op op, String reason, String detail) {
        Cell c = cell(phase, op);
        c.failed.increment();
        c.reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
        if (failureCount.incrementAndGet() <= 20_000) {
            failures.add(new Failure(System.nanoTime(), phase, op, reason, detail));
        }
    }

    /** Searches (with and without the pipeline) of a phase, merged. */
    Cell searches(Phase phase) {
        Cell merged = new Cell();
        for (Op op : List.of(Op.SEARCH, Op.SEARCH_PIPELINE)) {
            Cell c = cell(phase, op);
            merged.ok.add(c.ok.sum());
            merged.failed.add(c.failed.sum());
            merged.failedOver.add(c.failedOver.sum());
            synchronized (c.latencies) {
                merged.latencies.addAll(c.latencies);
            }
            c.reasons.forEach((r, n) -> merged.reasons.computeIfAbsent(r, k -> new LongAdder()).add(n.sum()));
        }
        return merged;
    }

    static Map<String, Long> sorted(Map<String, LongAdder> reasons) {
        Map<String, Long> out = new TreeMap<>();
        reasons.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }

    /** Nearest-rank percentile of nanosecond latencies, in milliseconds. */
    static double percentileMs(List<Long> values, double q) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
    }
}
