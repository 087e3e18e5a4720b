package org.fairrescore.rescore;

import org.opensearch.test.OpenSearchTestCase;

import java.util.Arrays;
import java.util.Comparator;

public class WindowReaderTests extends OpenSearchTestCase {

    public void testPositionsComeInDocIdOrderAndTiesInPositionOrder() {
        assertArrayEquals(new int[] {2, 0, 3, 1}, WindowReader.byDocId(new int[] {5, 9, 0, 7}));
        assertArrayEquals(new int[0], WindowReader.byDocId(new int[0]));
        for (int round = 0; round < 100; round++) {
            int[] docs = new int[randomIntBetween(1, 300)];
            for (int i = 0; i < docs.length; i++) {
                docs[i] = rarely() ? Integer.MAX_VALUE - randomIntBetween(0, 3) : randomIntBetween(0, 50);
            }
            Integer[] expected = new Integer[docs.length];
            for (int i = 0; i < docs.length; i++) {
                expected[i] = i;
            }
            Arrays.sort(expected, Comparator.<Integer>comparingInt(i -> docs[i]).thenComparingInt(i -> i));
            assertArrayEquals(
                    Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), WindowReader.byDocId(docs));
        }
    }
}
