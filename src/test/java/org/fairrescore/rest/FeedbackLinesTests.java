package org.fairrescore.rest;

import org.fairrescore.action.ExposureFeedbackAction.Kind;
import org.fairrescore.action.ExposureFeedbackAction.Line;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/** How {@code _feedback} bodies are split into lines and read: every bad line gets its own error naming it. */
public class FeedbackLinesTests extends OpenSearchTestCase {

    public void testJsonLinesAndTheirErrors() {
        String body = "{\"impression\": {\"shop\": \"acme\", \"rank\": 2}}\n"
                + "\n"
                + "{\"click\": {\"shop\": \"acme\", \"rank\": 1}}\n"
                + "{\"click\": {\"shop\": \"acme\", \"rank\": 1.5}}\n"
                + "{\"click\": {\"shop\": \"\", \"rank\": 1}}\n"
                + "{\"click\": {\"shop\": \"acme\", \"rank\": 1, \"query\": \"x\"}}\n"
                + "{\"click\": 3}\n"
                + "{\"impression\": {}, \"click\": {}}\n"
                + "[1, 2]\n"
                + "{\"impression\": {\"shop\": \"acme\", \"rank\": 1}}";
        List<Line> lines = RestExposureFeedbackAction.parse(new BytesArray(body), XContentType.JSON);
        assertEquals(9, lines.size());
        assertEquals(Line.event(Kind.IMPRESSION, "acme", 2), lines.get(0));
        assertEquals(Line.event(Kind.CLICK, "acme", 1), lines.get(1));
        assertTrue(
                lines.get(2).error(), lines.get(2).error().startsWith("line 4: [click.rank] must be a whole number"));
        assertTrue(
                lines.get(3).error(),
                lines.get(3).error().startsWith("line 5: [click.shop] must be a non-empty string"));
        assertTrue(lines.get(4).error(), lines.get(4).error().contains("unknown field [query]"));
        assertTrue(lines.get(5).error(), lines.get(5).error().contains("[click] must be an object"));
        assertTrue(lines.get(6).error(), lines.get(6).error().contains("must hold one key"));
        assertTrue(lines.get(7).error(), lines.get(7).error().startsWith("line 9 is not a json object"));
        assertEquals("the last line needs no newline", Line.event(Kind.IMPRESSION, "acme", 1), lines.get(8));
    }

    public void testSmileLinesAreSplitOnItsSeparator() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int rank = 1; rank <= 3; rank++) {
            try (XContentBuilder b = XContentBuilder.builder(XContentType.SMILE.xContent())) {
                b.startObject()
                        .startObject("impression")
                        .field("shop", "s" + rank)
                        .field("rank", rank)
                        .endObject()
                        .endObject();
                BytesReference.bytes(b).writeTo(out);
            }
            out.write(XContentType.SMILE.xContent().streamSeparator());
        }
        List<Line> lines = RestExposureFeedbackAction.parse(new BytesArray(out.toByteArray()), XContentType.SMILE);
        assertEquals(
                List.of(
                        Line.event(Kind.IMPRESSION, "s1", 1),
                        Line.event(Kind.IMPRESSION, "s2", 2),
                        Line.event(Kind.IMPRESSION, "s3", 3)),
                lines);
    }
}
