package org.fairrescore.exposure;

import org.junit.Test;

import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class ShopLedgerTests {

    private static final Decay HOUR = new Decay(3_600_000L);

    @Test
    public void halfLifeHalvesAValue() {
        assertEquals(0.5, HOUR.factor(0, 3_600_000L), 1e-12);
        assertEquals(0.25, HOUR.factor(1_000, 1_000 + 7_200_000L), 1e-12);
        assertEquals(1.0, HOUR.factor(5_000, 4_000), 0); // time never runs backwards
        assertThrows(IllegalArgumentException.class, () -> new Decay(0));
    }

    @Test
    public void addsDecayEarlierTotalsFirst() {
        ShopLedger ledger = new ShopLedger(10);
        ledger.add("a", 1.0, 2.0, 0, HOUR);
        ledger.add("a", 1.0, 0.0, 3_600_000L, HOUR);
        ShopLedger.Entry a = ledger.entries().get("a");
        assertEquals(1.5, a.exposure(), 1e-12);
        assertEquals(1.0, a.merit(), 1e-12);
        assertEquals(3_600_000L, a.at());
    }

    @Test
    public void decayIsLinearSoLedgersAddAtAnyTime() {
        // two nodes record at different times; their decayed sum equals one ledger that saw both
        ShopLedger one = new ShopLedger(10);
        ShopLedger two = new ShopLedger(10);
        ShopLedger both = new ShopLedger(10);
        one.add("s", 3.0, 1.0, 1_000, HOUR);
        two.add("s", 2.0, 4.0, 2_000_000, HOUR);
        both.add("s", 3.0, 1.0, 1_000, HOUR);
        both.add("s", 2.0, 4.0, 2_000_000, HOUR);
        long now = 5_000_000;
        double sum = one.entries().get("s").decayedTo(now, HOUR).exposure()
                + two.entries().get("s").decayedTo(now, HOUR).exposure();
        assertEquals(both.entries().get("s").decayedTo(now, HOUR).exposure(), sum, 1e-12);
    }

    @Test
    public void boundEvictsTheLeastRecentlyUpdatedShop() {
        ShopLedger ledger = new ShopLedger(2);
        ledger.add("a", 1, 0, 1, HOUR);
        ledger.add("b", 1, 0, 2, HOUR);
        ledger.add("a", 1, 0, 3, HOUR); // a is now the most recent
        assertEquals(1, ledger.add("c", 1, 0, 4, HOUR));
        assertEquals(List.of("a", "c"), List.copyOf(ledger.entries().keySet()));
        assertEquals(1, ledger.maxShops(1));
        assertEquals(List.of("c"), List.copyOf(ledger.entries().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new ShopLedger(0));
    }

    @Test
    public void changedSinceListsOnlyNewerVersions() {
        ShopLedger ledger = new ShopLedger(10);
        ledger.add("a", 1, 0, 1, HOUR);
        long seen = ledger.version();
        ledger.add("b", 1, 0, 2, HOUR);
        List<Map.Entry<String, ShopLedger.Entry>> changed = ledger.changedSince(seen);
        assertEquals(1, changed.size());
        assertEquals("b", changed.get(0).getKey());
        assertTrue(ledger.changedSince(ledger.version()).isEmpty());
        assertEquals(2, ledger.changedSince(0).size());
    }

    @Test
    public void clearAndRestoreStartANewEpoch() {
        ShopLedger ledger = new ShopLedger(10);
        ledger.add("a", 1, 0, 1, HOUR);
        long epoch = ledger.epoch();
        long version = ledger.version();
        Map<String, ShopLedger.Entry> saved = ledger.entries();
        ledger.clear();
        assertEquals(0, ledger.size());
        assertNotEquals(epoch, ledger.epoch());
        assertTrue(ledger.version() > version);

        ShopLedger restarted = new ShopLedger(10);
        long fresh = restarted.epoch();
        restarted.restore(saved);
        assertEquals(saved, restarted.entries());
        assertEquals(version, restarted.version());
        assertNotEquals(fresh, restarted.epoch());
    }
}
