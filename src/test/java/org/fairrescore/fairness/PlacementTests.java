package org.fairrescore.fairness;

import org.junit.Test;

import java.util.Random;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

/** Placing a window: groups from the quota field's values, the quota's order, strictly decreasing window scores. */
public class PlacementTests {

    @Test
    public void windowScoresAreStrictlyDecreasingAndAtLeastOne() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            int n = 1 + random.nextInt(300);
            float[] blends = new float[n];
            for (int i = 0; i < n; i++) {
                blends[i] = switch (round % 3) {
                    case 0 -> random.nextFloat();
                    case 1 -> 0f; // all tied at the bottom: forces the spread fallback
                    default -> random.nextInt(3) / 2f;
                };
            }
            float[] scores = Placement.windowScores(blends);
            for (int p = 0; p < n; p++) {
                assertTrue(scores[p] >= 1f && scores[p] <= 2f);
                if (p > 0) {
                    assertTrue("round " + round + " position " + p, scores[p] < scores[p - 1]);
                }
            }
        }
    }

    @Test
    public void windowScoresKeepBlendWhereOrderAllows() {
        float[] scores = Placement.windowScores(new float[] {0.9f, 0.5f, 0.7f, 0.1f});
        assertEquals(1.9f, scores[0], 1e-6f);
        assertEquals(1.5f, scores[1], 1e-6f);
        assertEquals(Math.nextDown(1.5f), scores[2], 0f); // a hit the quota moved down sits just below its predecessor
        assertEquals(1.1f, scores[3], 1e-6f);
    }

    @Test
    public void placeGroupsHitsByTheirFieldAndScoresTheNewOrder() {
        QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(4));
        float[] blends = {0.9f, 0.8f, 0.7f, 0.6f};
        // shop a holds the two best hits; at most 1 of a shop in any 2 positions: b moves up to 2
        Placement capped = reorderer.place(blends, new String[] {"a", "a", "b", null}, null, new ShopCap(1, 2));
        assertArrayEquals(new int[] {0, 2, 1, 3}, capped.reordering().order());
        assertNull(capped.protectedHits());
        assertEquals(1.9f, capped.scores()[0], 1e-6f);
        assertEquals(1.7f, capped.scores()[1], 1e-6f);
        assertEquals(Math.nextDown(1.7f), capped.scores()[2], 0f);
        // no field read: every hit is a group of its own, the blend order stays
        Placement plain = reorderer.place(blends, null, null, new ShopCap(1, 2));
        assertArrayEquals(new int[] {0, 1, 2, 3}, plain.reordering().order());
        // fair_topk marks the hits whose field holds the protected value
        Placement fair =
                reorderer.place(blends, new String[] {"big", "big", "tail", null}, "tail", new FairTopK(0.5, 0.1));
        assertArrayEquals(new boolean[] {false, false, true, false}, fair.protectedHits());
        for (int p = 1; p < 4; p++) {
            assertTrue(fair.scores()[p] < fair.scores()[p - 1]);
        }
    }
}
