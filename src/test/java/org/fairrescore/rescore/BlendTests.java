package org.fairrescore.rescore;

import org.fairrescore.embed.CosineCalibration;

import org.junit.Test;

import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

public class BlendTests {

    @Test
    public void firstPassIsMonotoneAndBelowOne() {
        float previous = -1f;
        for (float s = 0f; s < 1000f; s += 0.37f) {
            float n = Blend.firstPass(s, 10f);
            assertTrue(n > previous || s == 0f);
            assertTrue(n >= 0f && n < 1f);
            previous = n;
        }
        assertEquals(0.5f, Blend.firstPass(10f, 10f), 1e-6f);
        assertEquals(0f, Blend.firstPass(0f, 10f), 0f);
    }

    @Test
    public void semanticMapsCosineIntoUnitInterval() {
        CosineCalibration full = CosineCalibration.FULL_RANGE;
        assertEquals(0f, full.semantic(-1f), 0f);
        assertEquals(0.5f, full.semantic(0f), 0f);
        assertEquals(1f, full.semantic(1f), 0f);
        assertEquals(1f, full.semantic(1.0000001f), 0f);
        // a calibrated model: its unrelated cosine is 0, its best-match cosine is 1, clipped outside
        CosineCalibration bge = new CosineCalibration(0.5f, 0.8f);
        assertEquals(0f, bge.semantic(0.2f), 0f);
        assertEquals(0f, bge.semantic(0.5f), 0f);
        assertEquals(0.5f, bge.semantic(0.65f), 1e-6f);
        assertEquals(1f, bge.semantic(0.8f), 1e-6f);
        assertEquals(1f, bge.semantic(0.95f), 0f);
        assertEquals(0f, bge.semantic(Float.NaN), 0f);
        assertThrows(IllegalArgumentException.class, () -> new CosineCalibration(0.8f, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> new CosineCalibration(-2f, 0.5f));
    }

    @Test
    public void weightZeroIsLexicalOnly() {
        assertEquals(0.3f, Blend.blend(0.3f, 0.9f, 0f), 0f);
        assertEquals(0.9f, Blend.blend(0.3f, 0.9f, 1f), 0f);
        assertEquals(0.6f, Blend.blend(0.3f, 0.9f, 0.5f), 1e-6f);
    }

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
            float[] scores = Blend.windowScores(blends);
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
        float[] scores = Blend.windowScores(new float[] { 0.9f, 0.5f, 0.7f, 0.1f });
        assertEquals(1.9f, scores[0], 1e-6f);
        assertEquals(1.5f, scores[1], 1e-6f);
        assertEquals(Math.nextDown(1.5f), scores[2], 0f); // a hit the quota moved down sits just below its predecessor
        assertEquals(1.1f, scores[3], 1e-6f);
    }
}
