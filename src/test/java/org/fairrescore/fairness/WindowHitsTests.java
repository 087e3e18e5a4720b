package org.fairrescore.fairness;

import org.junit.Test;

import java.util.List;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Building a window's hits from keyword values, and placing them through the reorderer. */
public class WindowHitsTests {

    @Test
    public void keywordValuesBecomeIds() {
        float[] blends = {0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
        WindowHits hits = WindowHits.of(blends)
                .withShops(new String[] {"a", "b", null, "a", null})
                .withProtected(new String[] {"tail", "head", "tail", null, "mid"}, "tail")
                .withGroups(new String[] {"tail", "head", "tail", null, "mid"}, List.of("tail", "mid"));
        int[] shops = hits.shops();
        assertEquals(shops[0], shops[3]);
        assertNotEquals(shops[0], shops[1]);
        assertNotEquals(shops[2], shops[4]); // no shop: a shop of its own each
        assertNotEquals(shops[2], shops[0]);
        assertArrayEquals(new boolean[] {true, false, true, false, false}, hits.protectedHits());
        assertArrayEquals(new int[] {0, -1, 0, -1, 1}, hits.groups());
        assertNull(hits.vectors());
        MultinomialMTableTests.assertMessage(
                "one entry per hit", () -> WindowHits.of(blends).withShopIds(new int[] {1, 2}));
    }

    @Test
    public void placeScoresTheNewOrderStrictlyDecreasing() {
        QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(4));
        float[] blends = {0.9f, 0.8f, 0.7f, 0.6f};
        WindowHits hits = WindowHits.of(blends).withShops(new String[] {"a", "a", "b", null});
        Placement placement =
                reorderer.place(hits, new Rules(List.of(new ShopCap(1, 2), new ExposureShare(0.9, 2))), Diversity.OFF);
        assertArrayEquals(new int[] {0, 2, 1, 3}, placement.reordering().order());
        float[] scores = placement.scores();
        for (int p = 1; p < scores.length; p++) {
            assertTrue(scores[p] < scores[p - 1]);
        }
        assertEquals(1.9f, scores[0], 1e-6f);
        // the same through a single rule keeps the cap's own reorderer, and the trace names it
        Placement capped = reorderer.place(hits, new ShopCap(1, 2), null);
        assertArrayEquals(new int[] {0, 2, 1, 3}, capped.reordering().order());
        assertEquals(new ShopCap(1, 2), capped.reordering().trace().step(1).rule());
        assertTrue(capped.reordering().trace().step(0).unmoved());
        // an empty window
        assertEquals(
                0,
                reorderer
                        .place(WindowHits.of(new float[0]), new FairTopK(0.3, 0.1), null)
                        .scores()
                        .length);
    }
}
