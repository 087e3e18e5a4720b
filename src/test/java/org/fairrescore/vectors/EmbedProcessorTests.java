package org.fairrescore.vectors;

import org.opensearch.OpenSearchParseException;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.test.OpenSearchTestCase;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

public class EmbedProcessorTests extends OpenSearchTestCase {

    /**
     * Deterministic vectors: the text's length and its first character; records every call. Vector fields are bound to
     * {@link #model} unless {@link #fieldModels} names another model for them (as an index's mapping would).
     */
    static final class FakeEmbedder implements EmbedProcessor.DocumentEmbedder {
        VectorModel model = new VectorModel("fake", 3);
        final Map<String, VectorModel> fieldModels = new HashMap<>();
        final List<List<String>> calls = new ArrayList<>();
        final List<String> callModels = new ArrayList<>();
        final List<Integer> inferenceBatches = new ArrayList<>();

        @Override
        public VectorModel model(String index, String vectorField) {
            assertEquals("the document's target index", "index", index);
            return fieldModels.getOrDefault(vectorField, model);
        }

        @Override
        public VectorModel model(String id) {
            if (id.equals(model.id())) {
                return model;
            }
            for (VectorModel m : fieldModels.values()) {
                if (m.id().equals(id)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown model [" + id + "]; known models: [" + model.id() + "]");
        }

        @Override
        public float[][] embed(String modelId, List<String> texts, int inferenceBatch) {
            calls.add(List.copyOf(texts));
            callModels.add(modelId);
            inferenceBatches.add(inferenceBatch);
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                if (texts.get(i).contains("boom")) {
                    throw new IllegalStateException("inference failed on " + texts.get(i));
                }
                out[i] = vector(texts.get(i));
            }
            return out;
        }

        static float[] vector(String text) {
            return new float[] {text.length(), text.charAt(0), 1f};
        }

        int embedded() {
            return calls.stream().mapToInt(List::size).sum();
        }
    }

    private final FakeEmbedder embedder = new FakeEmbedder();
    private final EmbedProcessor.Counters counters = new EmbedProcessor.Counters();

    private EmbedProcessor processor(Map<String, Object> config) {
        return new EmbedProcessor.Factory(() -> embedder, counters)
                .create(Map.of(), "tag", null, new HashMap<>(config));
    }

    private static IngestDocument doc(Map<String, Object> source) {
        return new IngestDocument("index", "id", null, null, null, new HashMap<>(source));
    }

    private static List<IngestDocumentWrapper> wrap(List<IngestDocument> docs) {
        List<IngestDocumentWrapper> out = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            out.add(new IngestDocumentWrapper(i, 0, docs.get(i), null));
        }
        return out;
    }

    private static List<IngestDocumentWrapper> run(EmbedProcessor p, List<IngestDocumentWrapper> wrappers) {
        AtomicReference<List<IngestDocumentWrapper>> result = new AtomicReference<>();
        p.batchExecute(wrappers, result::set);
        assertNotNull("handler called", result.get());
        assertEquals(wrappers.size(), result.get().size());
        return result.get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> vectorOf(IngestDocument d, String field) {
        return d.getFieldValue(field, Map.class, true);
    }

    public void testWholeBulkInBatchesOfBatchSize() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector"), "batch_size", 4));
        List<IngestDocument> docs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            docs.add(doc(Map.of("title", "title number " + i)));
        }
        List<IngestDocumentWrapper> out = run(p, wrap(docs));
        assertEquals(List.of(4, 4, 2), embedder.calls.stream().map(List::size).toList());
        assertEquals(List.of(1, 1, 1), embedder.inferenceBatches);
        for (IngestDocumentWrapper w : out) {
            assertNull(w.getException());
            Map<String, Object> v = vectorOf(w.getIngestDocument(), "title_vector");
            assertEquals("fake", v.get("model"));
            String title = w.getIngestDocument().getFieldValue("title", String.class);
            assertEquals(EmbedProcessor.textHash("fake", title), v.get("text_hash"));
            float[] expected = FakeEmbedder.vector(title);
            // base64 of the big-endian float32 values, exact
            assertArrayEquals(expected, SourceVector.decode((String) v.get("vector")), 0f);
        }
        assertEquals(10, counters.embedded());
    }

    public void testSeveralTextFieldsJoinInFieldMapOrderLikeTheRescorer() {
        Map<String, Object> fieldMap = new java.util.LinkedHashMap<>();
        fieldMap.put("title", "v");
        fieldMap.put("brand.name", "v");
        fieldMap.put("description", "d_vector");
        EmbedProcessor p = processor(Map.of("field_map", fieldMap));
        assertEquals(Map.of("v", List.of("title", "brand.name"), "d_vector", List.of("description")), p.targets());
        IngestDocument d = doc(Map.of(
                "title", List.of("Red shoes", " "), "brand", Map.of("name", "Acme"), "description", "For running"));
        p.execute(d);
        String joined = DocumentText.of(d.getSourceAndMetadata(), List.of("title", "brand.name"));
        assertEquals("Red shoes. Acme", joined);
        assertTrue(embedder.calls.get(0).contains("Red shoes. Acme"));
        assertTrue(embedder.calls.get(0).contains("For running"));
        assertEquals(EmbedProcessor.textHash("fake", joined), vectorOf(d, "v").get("text_hash"));
    }

    public void testUnchangedTextIsNotEmbeddedAgain() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector")));
        IngestDocument first = doc(Map.of("title", "blue kettle", "price", 10));
        p.execute(first);
        assertEquals(1, embedder.embedded());

        // an update that carries the stored source back (e.g. _update of the price): same text, same model
        Map<String, Object> updated = new HashMap<>(first.getSourceAndMetadata());
        updated.keySet().removeIf(k -> k.startsWith("_"));
        updated.put("price", 12);
        IngestDocument second = doc(updated);
        Object before = second.getFieldValue("title_vector", Object.class);
        p.execute(second);
        assertEquals("not embedded again", 1, embedder.embedded());
        assertSame(before, second.getFieldValue("title_vector", Object.class));
        assertEquals(1, counters.unchanged());

        // changed text: embedded again
        updated.put("title", "green kettle");
        IngestDocument third = doc(updated);
        p.execute(third);
        assertEquals(2, embedder.embedded());
        assertEquals(
                EmbedProcessor.textHash("fake", "green kettle"),
                vectorOf(third, "title_vector").get("text_hash"));

        // another model: embedded again even though the text is the same
        embedder.model = new VectorModel("fake-2", 3);
        Map<String, Object> again = new HashMap<>(third.getSourceAndMetadata());
        again.keySet().removeIf(k -> k.startsWith("_"));
        IngestDocument fourth = doc(again);
        p.execute(fourth);
        assertEquals(3, embedder.embedded());
        assertEquals("fake-2", vectorOf(fourth, "title_vector").get("model"));
    }

    /** Each vector field gets its own model's vector, one inference pass per model (a migration feeds two fields). */
    public void testEachVectorFieldIsEmbeddedWithItsOwnModel() {
        embedder.fieldModels.put("name_vector_new", new VectorModel("other", 3));
        EmbedProcessor p = processor(Map.of("field_map", Map.of("name", "name_vector")));
        EmbedProcessor both = processor(
                Map.of("field_map", new java.util.LinkedHashMap<>(Map.of("name", "name_vector")), "batch_size", 10));
        assertNull(p.model());
        IngestDocument d = doc(Map.of("name", "velvet sofa"));
        p.execute(d);
        assertEquals("fake", vectorOf(d, "name_vector").get("model"));

        EmbedProcessor migration = new EmbedProcessor.Factory(() -> embedder, counters)
                .create(Map.of(), "tag", null, new HashMap<>(Map.of("field_map", Map.of("name", "name_vector_new"))));
        List<IngestDocument> docs = List.of(doc(Map.of("name", "velvet sofa")), doc(Map.of("name", "oak table")));
        embedder.calls.clear();
        embedder.callModels.clear();
        run(migration, wrap(docs));
        assertEquals(List.of("other"), embedder.callModels);
        for (IngestDocument m : docs) {
            assertEquals("other", vectorOf(m, "name_vector_new").get("model"));
            assertEquals(
                    EmbedProcessor.textHash("other", (String) m.getFieldValue("name", String.class)),
                    vectorOf(m, "name_vector_new").get("text_hash"));
        }
        assertNotNull(both);
    }

    /** {@code model} in the processor's definition names the model for all its fields; an unknown id fails the definition. */
    public void testTheProcessorsOwnModel() {
        embedder.fieldModels.put("unused", new VectorModel("other", 3));
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector"), "model", "other"));
        assertEquals("other", p.model());
        IngestDocument d = doc(Map.of("title", "lamp"));
        p.execute(d);
        assertEquals(List.of("other"), embedder.callModels);
        assertEquals("other", vectorOf(d, "title_vector").get("model"));
        OpenSearchParseException e = expectThrows(
                OpenSearchParseException.class,
                () -> processor(Map.of("field_map", Map.of("title", "title_vector"), "model", "nope")));
        assertTrue(e.getMessage(), e.getMessage().contains("[model] unknown model [nope]"));
    }

    public void testSkipUnchangedCanBeTurnedOff() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector"), "skip_unchanged", false));
        IngestDocument d = doc(Map.of("title", "blue kettle"));
        p.execute(d);
        p.execute(d);
        assertEquals(2, embedder.embedded());
    }

    public void testMissingFieldsAreSkippedNotFatal() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector"), "batch_size", 10));
        IngestDocument withText = doc(Map.of("title", "lamp"));
        IngestDocument without = doc(Map.of("price", 3));
        IngestDocument blank = doc(Map.of("title", "   "));
        Map<String, Object> staleSource = new HashMap<>();
        staleSource.put("title_vector", EmbedProcessor.value(new float[] {1, 0, 0}, "fake", "old-hash"));
        IngestDocument stale = doc(staleSource);
        IngestDocument userVector = doc(Map.of("title_vector", List.of(1f, 0f, 0f)));
        List<IngestDocumentWrapper> out = run(p, wrap(List.of(withText, without, blank, stale, userVector)));
        for (IngestDocumentWrapper w : out) {
            assertNull(w.getException());
        }
        assertEquals(List.of(List.of("lamp")), embedder.calls);
        assertNotNull(vectorOf(withText, "title_vector"));
        assertFalse(without.hasField("title_vector"));
        assertFalse(blank.hasField("title_vector"));
        assertFalse("a vector we made from text that is gone is removed", stale.hasField("title_vector"));
        assertEquals(
                "a vector the client gave is kept",
                List.of(1f, 0f, 0f),
                userVector.getFieldValue("title_vector", List.class));
        assertEquals(4, counters.noText());
    }

    public void testInferenceBatchSortsByLengthAndKeepsEachVectorWithItsDocument() {
        EmbedProcessor p = processor(
                Map.of("field_map", Map.of("title", "title_vector"), "inference_batch", 8, "batch_size", 100));
        List<IngestDocument> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(doc(Map.of("title", randomAlphaOfLengthBetween(1, 40))));
        }
        run(p, wrap(docs));
        assertEquals(List.of(8), embedder.inferenceBatches);
        List<String> sent = embedder.calls.get(0);
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(
                    "sorted by length", sent.get(i - 1).length() <= sent.get(i).length());
        }
        for (IngestDocument d : docs) {
            float[] expected = FakeEmbedder.vector(d.getFieldValue("title", String.class));
            assertArrayEquals(
                    expected,
                    SourceVector.decode((String) vectorOf(d, "title_vector").get("vector")),
                    0f);
        }
    }

    public void testAFailingDocumentFailsAloneAndOthersAreEmbedded() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector"), "batch_size", 10));
        List<IngestDocument> docs =
                List.of(doc(Map.of("title", "ok one")), doc(Map.of("title", "boom")), doc(Map.of("title", "ok two")));
        List<IngestDocumentWrapper> out = run(p, wrap(docs));
        assertNull(out.get(0).getException());
        assertNotNull(out.get(1).getException());
        assertTrue(out.get(1).getException().getMessage().contains("boom"));
        assertNull(out.get(2).getException());
        assertNotNull(vectorOf(docs.get(0), "title_vector"));
        assertNotNull(vectorOf(docs.get(2), "title_vector"));
        assertEquals(1, counters.failed());
    }

    public void testDocumentsFailedUpstreamAreLeftAlone() {
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "title_vector")));
        IngestDocument d = doc(Map.of("title", "x"));
        Exception upstream = new IllegalArgumentException("earlier processor failed");
        List<IngestDocumentWrapper> out = run(p, List.of(new IngestDocumentWrapper(0, 0, d, upstream)));
        assertSame(upstream, out.get(0).getException());
        assertTrue(embedder.calls.isEmpty());
    }

    public void testModelNotLoadedFailsTheDocuments() {
        EmbedProcessor p = new EmbedProcessor.Factory(() -> null, counters)
                .create(Map.of(), "t", null, new HashMap<>(Map.of("field_map", Map.of("title", "v"))));
        List<IngestDocumentWrapper> out = run(p, wrap(List.of(doc(Map.of("title", "x")))));
        assertTrue(out.get(0).getException().getMessage().contains("not loaded"));
    }

    private void assertBadConfig(Map<String, Object> config, String... mentions) {
        OpenSearchParseException e = expectThrows(OpenSearchParseException.class, () -> processor(config));
        for (String m : mentions) {
            assertTrue(e.getMessage(), e.getMessage().contains(m));
        }
    }

    public void testConfigurationErrors() {
        assertBadConfig(Map.of(), "field_map", "missing");
        assertBadConfig(Map.of("field_map", Map.of()), "field_map");
        assertBadConfig(Map.of("field_map", Map.of("title", 3)), "title");
        assertBadConfig(Map.of("field_map", Map.of("title", "title")), "onto itself");
        assertBadConfig(Map.of("field_map", Map.of("title", "v", "v", "w")), "both a text field and a vector field");
        assertBadConfig(Map.of("field_map", Map.of("title", "v"), "batch_size", 0), "batch_size");
        assertBadConfig(Map.of("field_map", Map.of("title", "v"), "inference_batch", 0), "inference_batch");
        assertBadConfig(Map.of("field_map", Map.of("title", "v"), "inference_batch", 1000), "inference_batch");
        EmbedProcessor p = processor(Map.of("field_map", Map.of("title", "v")));
        assertEquals(EmbedProcessor.DEFAULT_BATCH_SIZE, p.batchSize());
        assertEquals(1, p.inferenceBatch());
        assertTrue(p.skipUnchanged());
        assertEquals("fair_rescore_embed", p.getType());
    }

    public void testTextHashDependsOnModelAndText() {
        String h = EmbedProcessor.textHash("m", "text");
        assertEquals(32, h.length());
        assertEquals(h, EmbedProcessor.textHash("m", "text"));
        assertNotEquals(h, EmbedProcessor.textHash("m2", "text"));
        assertNotEquals(h, EmbedProcessor.textHash("m", "text2"));
        assertNotEquals(EmbedProcessor.textHash("ab", "c"), EmbedProcessor.textHash("a", "bc"));
    }
}
