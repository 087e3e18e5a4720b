package org.fairrescore.action;

import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;

/** The exposure GET request: its wire round trip (local included) and its validation. */
public class ExposureGetRequestTests extends OpenSearchTestCase {

    private static final NamedWriteableRegistry NONE = new NamedWriteableRegistry(List.of());

    public void testRoundTripKeepsLocal() throws IOException {
        for (boolean local : new boolean[] {false, true}) {
            ExposureGetAction.Request original = new ExposureGetAction.Request("shops", 7, "merit:asc", local);
            ExposureGetAction.Request copy = copyWriteable(original, NONE, ExposureGetAction.Request::new);
            assertEquals("shops", copy.index());
            assertEquals(7, copy.size());
            assertEquals(ExposureGetAction.Sort.MERIT, copy.sort());
            assertTrue(copy.ascending());
            assertEquals(local, copy.local());
        }
    }

    public void testSyncsUnlessAskedForLocal() {
        assertFalse(new ExposureGetAction.Request("shops", 20, null).local());
        assertTrue(new ExposureGetAction.Request("shops", 20, null, true).local());
    }

    public void testValidation() {
        assertNull(new ExposureGetAction.Request("shops", 20, null, true).validate());
        assertNotNull(new ExposureGetAction.Request("shops", -1, null, true).validate());
        assertNotNull(new ExposureGetAction.Request("shops", 20, "colour", true).validate());
        assertNotNull(new ExposureGetAction.Request("shops", 20, "shop:up", false).validate());
    }
}
