package org.fairrescore.rescore;

import org.fairrescore.model.CosineCalibration;
import org.junit.Test;

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
}
