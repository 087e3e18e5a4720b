package org.fairrescore.exposure;

import org.junit.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

public class ExposureLedgersTests {

    private static final Decay HOUR = new Decay(3_600_000L);
    private static final String INDEX = "uuid-1";

    /** Node {@code to} copies what it lacks of node {@code from}'s ledgers, as a sync does. */
    private static void pull(ExposureLedgers to, String toId, ExposureLedgers from, String fromId) {
        to.apply(fromId, from.changesFor(to.seen(fromId)));
    }

    private static Map<String, ShopLedger.Credit> credit(String shop, double exposure, double merit) {
        return Map.of(shop, new ShopLedger.Credit(exposure, merit));
    }

    @Test
    public void nodesThatPullFromEachOtherSeeTheSameView() {
        Random random = new Random(42);
        List<ExposureLedgers> nodes =
                List.of(new ExposureLedgers(1000), new ExposureLedgers(1000), new ExposureLedgers(1000));
        long now = 1_000_000;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 50; i++) {
                ExposureLedgers node = nodes.get(random.nextInt(3));
                node.credit(
                        INDEX,
                        credit("shop-" + random.nextInt(30), random.nextDouble(), random.nextDouble()),
                        now,
                        HOUR);
                now += random.nextInt(1000);
            }
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    if (a != b) {
                        pull(nodes.get(a), "n" + a, nodes.get(b), "n" + b);
                    }
                }
            }
        }
        for (ExposureLedgers node : nodes) {
            node.rebuild(now, index -> HOUR);
        }
        ExposureView first = nodes.get(0).view(INDEX);
        for (ExposureLedgers node : nodes) {
            ExposureView view = node.view(INDEX);
            assertEquals(first.totalExposure(), view.totalExposure(), 1e-9);
            assertEquals(first.shops().keySet(), view.shops().keySet());
            for (String shop : first.shops().keySet()) {
                assertEquals(
                        first.shops().get(shop).merit(), view.shops().get(shop).merit(), 1e-9);
            }
        }
    }

    @Test
    public void aSecondPullSendsOnlyWhatChanged() {
        ExposureLedgers a = new ExposureLedgers(100);
        ExposureLedgers b = new ExposureLedgers(100);
        b.credit(INDEX, credit("x", 1, 1), 1, HOUR);
        b.credit(INDEX, credit("y", 1, 1), 2, HOUR);
        List<LedgerDelta> first = b.changesFor(a.seen("b"));
        assertTrue(first.get(0).full());
        assertEquals(2, first.get(0).entries().size());
        a.apply("b", first);
        assertTrue(b.changesFor(a.seen("b")).isEmpty());
        b.credit(INDEX, credit("y", 1, 0), 3, HOUR);
        List<LedgerDelta> second = b.changesFor(a.seen("b"));
        assertFalse(second.get(0).full());
        assertEquals(List.of("y"), List.copyOf(second.get(0).entries().keySet()));
    }

    @Test
    public void aResetPeerIsCopiedWholeAgain() {
        ExposureLedgers a = new ExposureLedgers(100);
        ExposureLedgers b = new ExposureLedgers(100);
        b.credit(INDEX, credit("x", 5, 1), 1, HOUR);
        pull(a, "a", b, "b");
        b.clear(INDEX);
        b.credit(INDEX, credit("z", 1, 1), 2, HOUR);
        pull(a, "a", b, "b");
        a.rebuild(2, index -> HOUR);
        assertEquals(Map.of("z", 1.0), exposures(a.view(INDEX)));
    }

    @Test
    public void clearEmptiesTheViewAndTheCopies() {
        ExposureLedgers a = new ExposureLedgers(100);
        ExposureLedgers b = new ExposureLedgers(100);
        b.credit(INDEX, credit("x", 5, 1), 1, HOUR);
        a.credit(INDEX, credit("y", 5, 1), 1, HOUR);
        pull(a, "a", b, "b");
        a.rebuild(1, index -> HOUR);
        assertEquals(2, a.view(INDEX).shops().size());
        a.clear(INDEX);
        assertSame(ExposureView.EMPTY, a.view(INDEX));
        a.rebuild(1, index -> HOUR);
        assertTrue(a.view(INDEX).shops().isEmpty());
    }

    @Test
    public void aPartialDeltaOfAnotherEpochIsNotLaidOverACopy() {
        ExposureLedgers a = new ExposureLedgers(100);
        a.apply("b", List.of(new LedgerDelta(INDEX, 7, 3, true, Map.of("x", new ShopLedger.Entry(1, 1, 1, 3)))));
        a.apply("b", List.of(new LedgerDelta(INDEX, 8, 5, false, Map.of("y", new ShopLedger.Entry(1, 1, 1, 5)))));
        assertEquals(new LedgerDelta.Seen(7, 3), a.seen("b").get(INDEX));
        a.rebuild(1, index -> HOUR);
        assertEquals(Map.of("x", 1.0), exposures(a.view(INDEX)));
    }

    @Test
    public void dropForgetsAnIndexAndRebuildSkipsUnknownOnes() {
        ExposureLedgers a = new ExposureLedgers(100);
        a.credit(INDEX, credit("x", 1, 1), 1, HOUR);
        a.credit("other", credit("x", 1, 1), 1, HOUR);
        a.rebuild(1, index -> index.equals(INDEX) ? HOUR : null);
        assertEquals(1, a.view(INDEX).shops().size());
        assertSame(ExposureView.EMPTY, a.view("other"));
        a.drop(INDEX);
        assertFalse(a.indices().contains(INDEX));
        assertEquals(1, a.entries());
    }

    @Test
    public void copiesAreBoundedToo() {
        ExposureLedgers a = new ExposureLedgers(2);
        Map<String, ShopLedger.Entry> many = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            many.put("s" + i, new ShopLedger.Entry(1, 1, i, i + 1));
        }
        a.apply("b", List.of(new LedgerDelta(INDEX, 1, 5, true, many)));
        assertEquals(2, a.entries());
    }

    private static Map<String, Double> exposures(ExposureView view) {
        Map<String, Double> out = new HashMap<>();
        view.shops().forEach((shop, s) -> out.put(shop, s.exposure()));
        return out;
    }
}
