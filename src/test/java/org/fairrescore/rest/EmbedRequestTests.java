package org.fairrescore.rest;

import org.fairrescore.action.EmbedRequest;
import org.fairrescore.action.EmbedResponse;
import org.fairrescore.model.TextRole;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.MediaType;
import org.opensearch.rest.RestRequest;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.test.rest.FakeRestRequest;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** REST parsing of {@code _embed} bodies: what is accepted, and the 400 message for each mistake. */
public class EmbedRequestTests extends OpenSearchTestCase {

    private RestRequest rest(String json, Map<String, String> params) {
        FakeRestRequest.Builder b = new FakeRestRequest.Builder(xContentRegistry())
                .withMethod(RestRequest.Method.POST)
                .withPath(RestEmbedAction.PATH)
                .withParams(new java.util.HashMap<>(params));
        if (json != null) {
            b.withContent(new BytesArray(json), XContentType.JSON);
        }
        return b.build();
    }

    private EmbedRequest parse(String json) throws IOException {
        return RestEmbedAction.parse(rest(json, Map.of()));
    }

    private String error(String json) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> parse(json));
        assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
        return e.getMessage();
    }

    public void testOneText() throws IOException {
        EmbedRequest r = parse("{\"text\": \"running shoes\"}");
        assertEquals(List.of("running shoes"), r.texts());
        assertFalse(r.array());
        assertTrue(r.includeVector());
        assertNull(r.validate());
    }

    public void testModelAndRole() throws IOException {
        EmbedRequest defaults = parse("{\"text\": \"sofa\"}");
        assertNull(defaults.model());
        assertEquals(TextRole.QUERY, defaults.role());
        EmbedRequest named = parse("{\"text\": \"sofa\", \"model\": \"bge-small-en-v15-q\", \"as\": \"document\"}");
        assertEquals("bge-small-en-v15-q", named.model());
        assertEquals(TextRole.DOCUMENT, named.role());
        assertEquals(
                TextRole.QUERY, parse("{\"text\": \"sofa\", \"as\": \"query\"}").role());
        assertEquals(
                "[as] must be [query] or [document], got [passage]", error("{\"text\": \"a\", \"as\": \"passage\"}"));
        assertEquals("[as] must be [query] or [document], got a number", error("{\"text\": \"a\", \"as\": 1}"));
        assertEquals("[model] must be a model id, got a number", error("{\"text\": \"a\", \"model\": 3}"));
        assertEquals("[model] must be a model id, got a string", error("{\"text\": \"a\", \"model\": \" \"}"));
    }

    public void testSeveralTextsAndNoVector() throws IOException {
        EmbedRequest r =
                RestEmbedAction.parse(rest("{\"texts\": [\"a b\", \"c\"]}", Map.of("include_vector", "false")));
        assertEquals(List.of("a b", "c"), r.texts());
        assertTrue(r.array());
        assertFalse(r.includeVector());
    }

    public void testOtherContentTypes() throws IOException {
        for (MediaType type : List.of(XContentType.YAML, XContentType.CBOR, XContentType.SMILE)) {
            var builder = org.opensearch.core.xcontent.MediaTypeRegistry.contentBuilder(type)
                    .startObject()
                    .field("text", "shoes")
                    .endObject();
            RestRequest request = new FakeRestRequest.Builder(xContentRegistry())
                    .withMethod(RestRequest.Method.POST)
                    .withPath(RestEmbedAction.PATH)
                    .withContent(org.opensearch.core.common.bytes.BytesReference.bytes(builder), type)
                    .build();
            assertEquals(List.of("shoes"), RestEmbedAction.parse(request).texts());
        }
    }

    public void testIncludeVectorMustBeABoolean() {
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> RestEmbedAction.parse(rest("{\"text\": \"a\"}", Map.of("include_vector", "maybe"))));
        assertEquals("[include_vector] must be true or false, got [maybe]", e.getMessage());
    }

    public void testMissingBody() {
        String m = expectThrows(IllegalArgumentException.class, () -> RestEmbedAction.parse(rest(null, Map.of())))
                .getMessage();
        assertTrue(m, m.contains("requires a body with [text]"));
    }

    public void testMissingText() {
        assertTrue(error("{}").contains("requires [text]"));
    }

    public void testWrongTypes() {
        assertEquals("[text] must be a string, got a number", error("{\"text\": 42}"));
        assertEquals("[text] must be a string, got an array", error("{\"text\": [\"a\"]}"));
        assertEquals("[text] must be a string, got an object", error("{\"text\": {\"a\": 1}}"));
        assertEquals("[text] must be a string, got null", error("{\"text\": null}"));
        assertEquals("[texts] must be an array of strings, got a string", error("{\"texts\": \"a\"}"));
        assertEquals("[texts][1] must be a string, got a boolean", error("{\"texts\": [\"a\", true]}"));
        assertTrue(error("[1, 2]").contains("must be an object"));
    }

    public void testEmptyAndBlank() {
        assertEquals("[text] must be a non-empty string", error("{\"text\": \"\"}"));
        assertEquals("[text] must be a non-empty string", error("{\"text\": \"  \\t\"}"));
        assertEquals("[texts][1] must be a non-empty string", error("{\"texts\": [\"ok\", \"\"]}"));
        assertEquals("[texts] must hold at least one text", error("{\"texts\": []}"));
    }

    public void testTooLong() {
        String longText = "a".repeat(EmbedRequest.MAX_TEXT_CHARS + 1);
        assertEquals(
                "[text] is 4097 characters long; at most 4096 are accepted: shorten it",
                error("{\"text\": \"" + longText + "\"}"));
        assertNotNull(parse0("{\"text\": \"" + "a".repeat(EmbedRequest.MAX_TEXT_CHARS) + "\"}"));
        String many = String.join(",", Collections.nCopies(EmbedRequest.MAX_TEXTS + 1, "\"x\""));
        assertEquals(
                "[texts] holds 101 texts; at most 100 are accepted per request", error("{\"texts\": [" + many + "]}"));
    }

    private EmbedRequest parse0(String json) {
        try {
            return parse(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public void testUnknownFieldAndBoth() {
        assertTrue(error("{\"txt\": \"a\"}").startsWith("[_embed] unknown field [txt]"));
        assertEquals("[_embed] takes [text] or [texts], not both", error("{\"text\": \"a\", \"texts\": [\"b\"]}"));
    }

    public void testMalformedJson() {
        for (String broken : List.of("{\"text\": ", "{\"text\" \"a\"}", "{\"text\": \"a\", \"text\": \"b\"}")) {
            Exception e = expectThrows(Exception.class, () -> parse(broken));
            assertEquals(broken + " -> " + e, RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
        }
    }

    public void testValidateNamesTheFields() {
        ActionRequestValidationException e = new EmbedRequest(List.of("", "a".repeat(5000)), true, true).validate();
        assertNotNull(e);
        assertEquals(
                List.of(
                        "[texts][0] must be a non-empty string",
                        "[texts][1] is 5000 characters long; at most 4096 are accepted: shorten it"),
                e.validationErrors());
        assertNotNull(new EmbedRequest(List.of("a", "b"), false, true).validate());
    }

    public void testRequestWireRoundTrip() throws IOException {
        EmbedRequest original = new EmbedRequest(
                List.of(randomAlphaOfLength(5), randomUnicodeOfLength(9)),
                true,
                randomBoolean(),
                randomBoolean() ? null : randomAlphaOfLength(8),
                randomFrom(TextRole.values()));
        EmbedRequest copy = copyWriteable(original, new NamedWriteableRegistry(List.of()), EmbedRequest::new);
        assertEquals(original.texts(), copy.texts());
        assertEquals(original.array(), copy.array());
        assertEquals(original.includeVector(), copy.includeVector());
        assertEquals(original.model(), copy.model());
        assertEquals(original.role(), copy.role());
    }

    public void testResponseWireRoundTrip() throws IOException {
        float[] vector = new float[randomIntBetween(1, 8)];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = randomFloat();
        }
        EmbedResponse original = new EmbedResponse(
                "bge-small-en-v15-q",
                randomFrom("query", "document"),
                randomFrom("", "Represent this sentence for searching relevant passages: "),
                vector.length,
                128,
                List.of(
                        new EmbedResponse.Embedding(
                                new String[] {"[CLS]", "shoes", "[SEP]"}, new int[] {101, 6007, 102}, false, vector),
                        new EmbedResponse.Embedding(
                                new String[] {"[CLS]", "[SEP]"}, new int[] {101, 102}, true, null)));
        EmbedResponse copy = copyWriteable(original, new NamedWriteableRegistry(List.of()), EmbedResponse::new);
        assertEquals(original, copy);
        assertNull(copy.embeddings().get(1).vector());
    }
}
