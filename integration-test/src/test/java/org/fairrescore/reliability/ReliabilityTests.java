package org.fairrescore.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** The reliability tool's own logic, without a node: the matrix table, percentiles, the summary's verdict. */
public class ReliabilityTests {

    @Test
    public void theMatrixHasAtLeastFortyUniquelyNamedCasesThatEachNameWhatIsWrong() {
        List<BadInputMatrix.Case> cases = BadInputMatrix.cases();
        assertTrue("the bad-input matrix should hold >= 40 cases, got " + cases.size(), cases.size() >= 40);
        Set<String> names = new HashSet<>();
        for (BadInputMatrix.Case c : cases) {
            assertTrue("duplicate case name " + c.name(), names.add(c.name()));
            if (c.status() == 400 && !c.name().contains("core")) {
                assertFalse(c.name() + " must say which text its reason has to hold", c.reasonText().isEmpty());
            }
            assertTrue(c.name() + ": no case may expect a 5xx", c.status() < 500);
        }
    }

    @Test
    public void theNotUtf8BodyReallyIsNotUtf8() {
        byte[] body = BadInputMatrix.notUtf8("{\"a\": \"x", "\"}");
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            decoder.decode(java.nio.ByteBuffer.wrap(body));
            throw new AssertionError("decoded as UTF-8");
        } catch (java.nio.charset.CharacterCodingException expected) {
            // the node must get bytes it cannot decode
        }
    }

    @Test
    public void percentileIsNearestRank() {
        List<Long> values = new java.util.ArrayList<>();
        for (long i = 1; i <= 100; i++) {
            values.add(i);
        }
        assertEquals(50.0, LoadRun.percentile(values, 0.50), 0);
        assertEquals(99.0, LoadRun.percentile(values, 0.99), 0);
        assertEquals(7.0, LoadRun.percentile(List.of(7L), 0.99), 0);
    }

    @Test
    public void knownBugsFailOnlyUnderStrict() {
        Section s = new Section("x");
        s.check("fine", true, "");
        s.knownBug("reported", false, "B0", "still broken");
        assertTrue(Summary.passed(List.of(s), false));
        assertFalse(Summary.passed(List.of(s), true));
        s.check("broken", false, "really");
        assertFalse(Summary.passed(List.of(s), false));
        String table = Summary.render(List.of(s), false);
        assertTrue(table, table.contains("FAILED     x / broken: really"));
        assertTrue(table, table.contains("KNOWN BUG  x / reported"));
    }
}
