package org.fairrescore.exposure;

import org.junit.Test;

import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class CreditsTests {

    @Test
    public void positionWeightIsTheDcgDiscount() {
        assertEquals(1.0, Credits.positionWeight(1), 1e-12);
        assertEquals(1.0 / (Math.log(11) / Math.log(2)), Credits.positionWeight(10), 1e-12);
        assertEquals(Math.log(11) / Math.log(2), Credits.clickMerit(10), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Credits.positionWeight(0));
    }

    @Test
    public void servedRanksCountFromTheMergedResultsFrom() {
        Map<String, ShopLedger.Credit> c = Credits.served(new String[] {"a", null, "a", "b"}, 10);
        assertEquals(
                Credits.positionWeight(11) + Credits.positionWeight(13),
                c.get("a").exposure(),
                1e-12);
        assertEquals(Credits.positionWeight(14), c.get("b").exposure(), 1e-12);
        assertEquals(2, c.size());
        assertEquals(0.0, c.get("a").merit(), 0);
    }

    @Test
    public void aWindowHandsOutItsShareInProportionToRelevance() {
        Map<String, ShopLedger.Credit> c = Credits.window(
                new String[] {"a", "b", "a", null, "c"}, new float[] {0.5f, 0.25f, 0.25f, 0.9f, 0f}, 0.5);
        assertEquals(0.5 * 0.75, c.get("a").merit(), 1e-9);
        assertEquals(0.5 * 0.25, c.get("b").merit(), 1e-9);
        assertFalse(c.containsKey("c")); // no relevance, no merit
        double total = c.values().stream().mapToDouble(ShopLedger.Credit::merit).sum();
        assertEquals(0.5, total, 1e-9);
        assertTrue(Credits.window(new String[] {"a"}, new float[] {0f}, 1).isEmpty());
    }
}
