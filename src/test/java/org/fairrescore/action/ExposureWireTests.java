package org.fairrescore.action;

import org.fairrescore.exposure.LedgerDelta;
import org.fairrescore.exposure.ShopLedger;
import org.opensearch.Version;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.ToXContent;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wire round trips of the exposure actions' requests and responses, and the GET's validation and JSON. */
public class ExposureWireTests extends OpenSearchTestCase {

    private static final NamedWriteableRegistry NONE = new NamedWriteableRegistry(List.of());

    private static LedgerDelta randomDelta() {
        Map<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < randomIntBetween(0, 5); i++) {
            entries.put(
                    randomAlphaOfLength(6),
                    new ShopLedger.Entry(
                            randomDouble(), randomDouble(), randomNonNegativeLong(), randomNonNegativeLong()));
        }
        return new LedgerDelta(randomAlphaOfLength(8), randomLong(), randomNonNegativeLong(), randomBoolean(), entries);
    }

    public void testSyncRoundTrip() throws IOException {
        Map<String, Map<String, LedgerDelta.Seen>> seen = Map.of(
                "node-a",
                Map.of("uuid-1", new LedgerDelta.Seen(randomLong(), randomNonNegativeLong())),
                "node-b",
                Map.of());
        ExposureSyncAction.NodeRequest request =
                copyWriteable(new ExposureSyncAction.NodeRequest(seen), NONE, ExposureSyncAction.NodeRequest::new);
        assertEquals(seen, request.seen());
        DiscoveryNode node = new DiscoveryNode(
                "n",
                "id",
                buildNewFakeTransportAddress(),
                Map.of(),
                DiscoveryNode.getRolesFromSettings(Settings.EMPTY),
                Version.CURRENT);
        List<LedgerDelta> deltas = List.of(randomDelta(), randomDelta());
        ExposureSyncAction.NodeResponse response = copyWriteable(
                new ExposureSyncAction.NodeResponse(node, deltas), NONE, ExposureSyncAction.NodeResponse::new);
        assertEquals(deltas, response.deltas());
    }

    public void testGetValidatesSizeAndSort() {
        assertNull(new ExposureGetAction.Request("i", 20, null).validate());
        ExposureGetAction.Request desc = new ExposureGetAction.Request("i", 20, "ratio:asc");
        assertNull(desc.validate());
        assertTrue(desc.ascending());
        assertTrue(new ExposureGetAction.Request("i", 20, "shop").ascending());
        assertFalse(new ExposureGetAction.Request("i", 20, "boost").ascending());
        assertTrue(new ExposureGetAction.Request("i", 20, "colour")
                .validate()
                .getMessage()
                .contains("[sort] must be one of"));
        assertTrue(new ExposureGetAction.Request("i", 20, "boost:up")
                .validate()
                .getMessage()
                .contains("[asc] or [desc]"));
        assertTrue(new ExposureGetAction.Request("i", -1, null)
                .validate()
                .getMessage()
                .contains("[size]"));
        assertTrue(new ExposureGetAction.Request("i", 10_001, null)
                .validate()
                .getMessage()
                .contains("[size]"));
    }

    public void testGetResponseRoundTripAndJson() throws IOException {
        ExposureGetAction.Response original = new ExposureGetAction.Response(
                "shops",
                "uuid",
                "amortized",
                "merit",
                0.6,
                "1h",
                "served",
                "shop",
                1_700_000_000_000L,
                4.5,
                1.0,
                2,
                1,
                List.of(
                        new ExposureGetAction.ShopLine("a", 4.5, 1.0, 4.5, 1.0, 0.0, 0.0, 1_700_000_000_000L),
                        new ExposureGetAction.ShopLine("b", 0, 0, 0, Double.NaN, 0, 0, 0)));
        ExposureGetAction.Response copy = copyWriteable(original, NONE, ExposureGetAction.Response::new);
        assertEquals(original.lines(), copy.lines());
        XContentBuilder builder = JsonXContent.contentBuilder();
        copy.toXContent(builder, ToXContent.EMPTY_PARAMS);
        Map<String, Object> json = XContentHelper.convertToMap(
                        BytesReference.bytes(builder), false, builder.contentType())
                .v2();
        assertEquals("shops", json.get("index"));
        List<?> shops = (List<?>) json.get("shops");
        assertEquals(2, shops.size());
        assertNull("a ratio without a target is null, not NaN", ((Map<?, ?>) shops.get(1)).get("ratio"));
        assertTrue(((Map<?, ?>) shops.get(1)).containsKey("ratio"));
    }

    public void testFeedbackRoundTrip() throws IOException {
        List<ExposureFeedbackAction.Line> lines = List.of(
                ExposureFeedbackAction.Line.event(ExposureFeedbackAction.Kind.IMPRESSION, "acme", 3),
                ExposureFeedbackAction.Line.bad(null, "line 2 is not a json object"),
                ExposureFeedbackAction.Line.bad(ExposureFeedbackAction.Kind.CLICK, "line 3: rank"));
        ExposureFeedbackAction.Request copy = copyWriteable(
                new ExposureFeedbackAction.Request("shops", lines), NONE, ExposureFeedbackAction.Request::new);
        assertEquals(lines, copy.lines());
        ExposureFeedbackAction.Response response = copyWriteable(
                new ExposureFeedbackAction.Response(5, lines), NONE, ExposureFeedbackAction.Response::new);
        assertEquals(lines, response.lines());
        assertTrue(response.errors());
        assertNotNull(new ExposureFeedbackAction.Request("shops", List.of()).validate());
    }
}
