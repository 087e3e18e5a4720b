package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.Test;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertNull;

public class SourceVectorsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void readsBase64AndArraysBareOrInTheProcessorsObject() throws Exception {
        // 1.0f and -2.5f, big-endian float32: 3F800000 C0200000
        float[] expected = {1f, -2.5f};
        assertArrayEquals(expected, SourceVectors.of(JSON.readTree("\"P4AAAMAgAAA=\"")), 0f);
        assertArrayEquals(expected, SourceVectors.of(JSON.readTree("[1.0, -2.5]")), 0f);
        assertArrayEquals(
                expected,
                SourceVectors.of(JSON.readTree("{\"model\": \"m\", \"text_hash\": \"h\", \"vector\": \"P4AAAMAgAAA=\"}")),
                0f);
        assertArrayEquals(
                expected, SourceVectors.of(JSON.readTree("{\"model\": \"m\", \"vector\": [1, -2.5]}")), 0f);
        assertNull(SourceVectors.of(JSON.readTree("{\"model\": \"m\"}")));
        assertNull(SourceVectors.of(JSON.readTree("7")));
    }
}
