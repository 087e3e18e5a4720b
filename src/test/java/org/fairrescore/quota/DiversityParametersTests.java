package org.fairrescore.quota;

import org.fairrescore.fairness.Diversity;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;

public class DiversityParametersTests extends OpenSearchTestCase {

    public void testOffByDefaultIndexSettingsGiveDefaultsTheClauseOverrides() {
        assertSame(Diversity.OFF, DiversityParameters.resolve(Settings.EMPTY, null));
        assertSame(Diversity.OFF, DiversityParameters.resolve(Settings.EMPTY, new DiversityParameters().depth(10)));
        Settings index = Settings.builder()
                .put("index.fair_rescore.diversity.lambda", 0.8)
                .put("index.fair_rescore.diversity.duplicate_threshold", 0.95)
                .put("index.fair_rescore.diversity.depth", 20)
                .build();
        assertEquals(new Diversity(0.8, 0.95, 20), DiversityParameters.resolve(index, null));
        assertEquals(
                new Diversity(0.6, 0.95, Integer.MAX_VALUE),
                DiversityParameters.resolve(
                        index, new DiversityParameters().lambda(0.6).depth(0)));
        // the clause can turn the index's diversity off
        assertSame(
                Diversity.OFF,
                DiversityParameters.resolve(
                        index, new DiversityParameters().lambda(1).duplicateThreshold(1)));
    }

    public void testWireRoundTripAndValidation() throws IOException {
        DiversityParameters original = new DiversityParameters().lambda(0.7);
        if (randomBoolean()) original.duplicateThreshold(randomDoubleBetween(0.01, 1, true));
        if (randomBoolean()) original.depth(randomIntBetween(0, 10_000));
        try (BytesStreamOutput out = new BytesStreamOutput()) {
            original.writeTo(out);
            try (StreamInput in = out.bytes().streamInput()) {
                DiversityParameters copy = new DiversityParameters(in);
                assertEquals(original, copy);
                assertEquals(original.hashCode(), copy.hashCode());
            }
        }
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> new DiversityParameters().depth(10_001));
        assertTrue(e.getMessage(), e.getMessage().startsWith("[fair_semantic][diversity][depth]"));
        e = expectThrows(IllegalArgumentException.class, () -> new DiversityParameters().duplicateThreshold(0));
        assertTrue(e.getMessage(), e.getMessage().startsWith("[fair_semantic][diversity][duplicate_threshold]"));
    }
}
