package org.fairrescore.model;

import org.fairrescore.tokenizer.Encoding;
import org.junit.AfterClass;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.fairrescore.model.EmbedTestSupport.BGE_EN;
import static org.fairrescore.model.EmbedTestSupport.BGE_ZH;
import static org.fairrescore.model.EmbedTestSupport.MINILM;
import static org.fairrescore.model.EmbedTestSupport.floats;
import static org.fairrescore.model.EmbedTestSupport.ints;
import static org.fairrescore.model.EmbedTestSupport.objects;
import static org.fairrescore.model.EmbedTestSupport.show;

/** Embeddings against ONNX Runtime for Node on the same model files (fixtures from integration-test/reference). */
public class OnnxEmbedderTests extends OpenSearchTestCase {

    /**
     * Agreement with the reference vectors (onnxruntime-node 1.29). The bundled models are int8, and ONNX Runtime picks
     * its int8 kernels by CPU (AVX2, AVX-512, VNNI), which sum the u8·s8 products differently (AVX2's 16-bit pair sums
     * saturate), so some inputs, long ones above all, differ slightly between machines: a 512-token Chinese text gives
     * cosine 0.99913 on an AVX-512 VNNI EPYC against the reference's AVX2 kernels, 1 − 1e-15 with the same kernels.
     * Each vector must agree to 1e-3, and on average to 1e-4, which a wrong pooling, tokenization or input layout misses
     * by far.
     */
    private static final double MIN_COSINE = 1 - 1e-3;

    private static final double MIN_MEAN_COSINE = 1 - 1e-4;
    private static final Map<String, OnnxEmbedder> EMBEDDERS = new java.util.HashMap<>();

    private static synchronized OnnxEmbedder embedder(String id) throws IOException {
        OnnxEmbedder e = EMBEDDERS.get(id);
        if (e == null) {
            e = OnnxEmbedder.load(
                    ModelRegistry.scan(EmbedTestSupport.modelsDir()).get(id), 1);
            EMBEDDERS.put(id, e);
        }
        return e;
    }

    @AfterClass
    public static void closeEmbedders() {
        for (OnnxEmbedder e : EMBEDDERS.values()) {
            e.close();
        }
        EMBEDDERS.clear();
    }

    public void testMiniLmMatchesReferenceOneByOne() throws IOException {
        assertMatchesReference(MINILM, false);
    }

    public void testBgeZhMatchesReferenceOneByOne() throws IOException {
        assertMatchesReference(BGE_ZH, false);
    }

    public void testBgeEnMatchesReferenceOneByOne() throws IOException {
        assertMatchesReference(BGE_EN, false);
    }

    public void testMiniLmMatchesReferenceAsOneList() throws IOException {
        assertMatchesReference(MINILM, true);
    }

    public void testBgeZhMatchesReferenceAsOneList() throws IOException {
        assertMatchesReference(BGE_ZH, true);
    }

    public void testBgeEnMatchesReferenceAsOneList() throws IOException {
        assertMatchesReference(BGE_EN, true);
    }

    /** {@code asList}: one {@code embed(List)} call (one text per inference at the default batch size of 1). */
    private void assertMatchesReference(String id, boolean asList) throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(id + "/embeddings.json");
        OnnxEmbedder embedder = embedder(id);
        assertEquals(fixture.get("onnx_sha256"), embedder.manifest().onnxSha256());
        assertEquals(((Number) fixture.get("dims")).intValue(), embedder.dims());
        assertEquals(fixture.get("pooling"), embedder.manifest().pooling().id());
        List<Map<String, Object>> cases = objects(fixture.get("cases"));
        assertTrue("at least 10 reference sentences", cases.size() >= 10);
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            texts.add(text);
            assertArrayEquals(
                    "ids of " + show(text),
                    ints(c.get("ids")),
                    embedder.tokenizer().encode(text, embedder.maxTokens()).ids());
        }
        float[][] ours;
        if (asList) {
            ours = embedder.embed(texts);
        } else {
            ours = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                ours[i] = embedder.embed(texts.get(i));
            }
        }
        List<float[]> reference =
                cases.stream().map(c -> floats(c.get("vector"))).toList();
        assertCloseToReference(id + (asList ? " as a list" : " one by one"), embedder, texts, ours, reference);
    }

    /** Each vector within {@link #MIN_COSINE} of its reference vector, and all of them on average within {@link #MIN_MEAN_COSINE}. */
    private void assertCloseToReference(
            String what, OnnxEmbedder embedder, List<String> texts, float[][] ours, List<float[]> reference) {
        assertEquals(what, reference.size(), ours.length);
        StringBuilder report = new StringBuilder();
        double worst = 1;
        double sum = 0;
        for (int i = 0; i < ours.length; i++) {
            assertEquals(embedder.dims(), ours[i].length);
            assertEquals("unit length", 1.0, VectorMath.norm(ours[i]), 1e-5);
            double cos = VectorMath.cosine(ours[i], reference.get(i));
            worst = Math.min(worst, cos);
            sum += cos;
            if (cos < MIN_COSINE) {
                report.append("\n  ")
                        .append(show(texts.get(i)))
                        .append(" cosine ")
                        .append(cos);
            }
        }
        assertTrue(what + " below " + MIN_COSINE + ":" + report, report.length() == 0);
        double mean = sum / ours.length;
        assertTrue(
                what + ": mean cosine to the reference " + mean + " below " + MIN_MEAN_COSINE, mean >= MIN_MEAN_COSINE);
        logger.info("{}: worst 1 - cosine to the reference {}, mean {}", what, 1 - worst, 1 - mean);
    }

    /**
     * bge-small-en is trained with an instruction in front of queries: every query path (embedQuery, embed in the
     * QUERY role, encode) must give what the reference made of the manifest's prefix followed by the text, and the
     * DOCUMENT role (no document prefix) the plain text's vector.
     */
    public void testBgeEnRolesMatchPrefixedReference() throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(BGE_EN + "/embeddings.json");
        OnnxEmbedder embedder = embedder(BGE_EN);
        ModelManifest manifest = embedder.manifest();
        assertEquals("Represent this sentence for searching relevant passages: ", manifest.queryPrefix());
        assertEquals("", manifest.documentPrefix());
        assertEquals(fixture.get("query_prefix"), manifest.queryPrefix());
        assertEquals(fixture.get("document_prefix"), manifest.documentPrefix());

        Map<TextRole, List<Map<String, Object>>> byRole = new java.util.EnumMap<>(TextRole.class);
        for (Map<String, Object> c : objects(fixture.get("role_cases"))) {
            byRole.computeIfAbsent(TextRole.of((String) c.get("role")), r -> new ArrayList<>())
                    .add(c);
        }
        List<Map<String, Object>> queries = byRole.get(TextRole.QUERY);
        List<Map<String, Object>> documents = byRole.get(TextRole.DOCUMENT);
        assertTrue("a few prefixed queries", queries.size() >= 3);
        assertTrue("a few documents", documents.size() >= 3);

        for (TextRole role : TextRole.values()) {
            List<Map<String, Object>> cases = byRole.get(role);
            List<String> texts = cases.stream().map(c -> (String) c.get("text")).toList();
            List<float[]> reference =
                    cases.stream().map(c -> floats(c.get("vector"))).toList();
            List<Encoding> encodings = embedder.encode(role, texts);
            for (int i = 0; i < cases.size(); i++) {
                assertArrayEquals(
                        role.id() + " ids of " + show(texts.get(i)),
                        ints(cases.get(i).get("ids")),
                        encodings.get(i).ids());
            }
            float[][] asList = embedder.embed(role, texts, 1, null);
            assertCloseToReference(BGE_EN + " embed(" + role + ") as a list", embedder, texts, asList, reference);
            if (role == TextRole.QUERY) {
                float[][] oneByOne = new float[texts.size()][];
                for (int i = 0; i < texts.size(); i++) {
                    oneByOne[i] = embedder.embedQuery(texts.get(i));
                    assertArrayEquals(
                            "embedQuery and embed(QUERY) of " + show(texts.get(i)), asList[i], oneByOne[i], 0f);
                }
                assertCloseToReference(BGE_EN + " embedQuery", embedder, texts, oneByOne, reference);
            } else {
                // no document prefix: the DOCUMENT role is the text as given
                float[][] plain = embedder.embed(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals("document " + show(texts.get(i)), plain[i], asList[i], 0f);
                }
            }
        }

        // the query prefix moves vectors well beyond the tolerance, so the comparisons above see whether it was applied
        Map<String, float[]> plainReference = new java.util.HashMap<>();
        for (Map<String, Object> c : objects(fixture.get("cases"))) {
            plainReference.put((String) c.get("text"), floats(c.get("vector")));
        }
        int compared = 0;
        for (Map<String, Object> c : queries) {
            float[] plain = plainReference.get((String) c.get("text"));
            if (plain != null) {
                compared++;
                double cos = VectorMath.cosine(plain, floats(c.get("vector")));
                assertTrue("the prefix changes " + show((String) c.get("text")) + " only to cosine " + cos, cos < 0.99);
            }
        }
        for (Map<String, Object> c : documents) {
            float[] plain = plainReference.get((String) c.get("text"));
            if (plain != null) {
                compared++;
                assertArrayEquals(
                        "reference document vector of " + show((String) c.get("text")),
                        plain,
                        floats(c.get("vector")),
                        0f);
            }
        }
        assertTrue("role texts shared with the plain cases: " + compared, compared >= 3);

        // each query ranks its documents as the reference does (a pair's cosine moves by up to sqrt(2e-3) per vector
        // within the tolerance, so the cosines themselves are not compared)
        Map<String, List<Map<String, Object>>> pairsByQuery = new java.util.LinkedHashMap<>();
        for (Map<String, Object> pair : objects(fixture.get("role_pairs"))) {
            pairsByQuery
                    .computeIfAbsent((String) pair.get("query"), q -> new ArrayList<>())
                    .add(pair);
        }
        for (Map.Entry<String, List<Map<String, Object>>> entry : pairsByQuery.entrySet()) {
            float[] q = embedder.embedQuery(entry.getKey());
            List<Map<String, Object>> pairs = entry.getValue();
            assertTrue("two documents per query", pairs.size() >= 2);
            List<String> candidates =
                    pairs.stream().map(p -> (String) p.get("document")).toList();
            float[][] d = embedder.embed(TextRole.DOCUMENT, candidates, 1, null);
            for (int i = 1; i < pairs.size(); i++) {
                double referenceOrder = Math.signum(((Number) pairs.get(0).get("cosine")).doubleValue()
                        - ((Number) pairs.get(i).get("cosine")).doubleValue());
                double ourOrder = Math.signum(VectorMath.cosine(q, d[0]) - VectorMath.cosine(q, d[i]));
                assertEquals(
                        show(entry.getKey()) + ": " + candidates.get(0) + " vs " + candidates.get(i),
                        referenceOrder,
                        ourOrder,
                        0);
            }
        }
    }

    /** Prefixed token ids against the reference, long inputs included: the prefix stays, the end of the text is cut. */
    public void testBgeEnEncodeInRolesMatchesPrefixedReferenceIds() throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(BGE_EN + "/tokens.json");
        OnnxEmbedder embedder = embedder(BGE_EN);
        int checked = 0;
        int truncated = 0;
        for (Map<String, Object> c : objects(fixture.get("role_cases"))) {
            if (((Number) c.get("max_tokens")).intValue() != embedder.maxTokens()) {
                continue; // shorter limits: WordPieceTokenizerTests
            }
            TextRole role = TextRole.of((String) c.get("role"));
            String text = (String) c.get("text");
            Encoding e = embedder.encode(role, List.of(text)).get(0);
            assertArrayEquals(role.id() + " ids of " + show(text), ints(c.get("ids")), e.ids());
            assertEquals(c.get("truncated"), e.truncated());
            checked++;
            truncated += e.truncated() ? 1 : 0;
        }
        assertTrue("role cases checked: " + checked, checked >= 6);
        assertTrue("a truncated query and document: " + truncated, truncated >= 2);
    }

    public void testSanityPairs() throws IOException {
        for (String id : List.of(MINILM, BGE_EN, BGE_ZH)) {
            Map<String, Object> fixture = EmbedTestSupport.fixture(id + "/embeddings.json");
            OnnxEmbedder embedder = embedder(id);
            for (Map<String, Object> pair : objects(fixture.get("pairs"))) {
                float[][] v = embedder.embed(List.of((String) pair.get("a"), (String) pair.get("b")));
                double expected = ((Number) pair.get("cosine")).doubleValue();
                assertEquals(pair.get("a") + " / " + pair.get("b"), expected, VectorMath.cosine(v[0], v[1]), 1e-3);
            }
        }
        OnnxEmbedder minilm = embedder(MINILM);
        double related = VectorMath.dot(minilm.embed("shoes"), minilm.embed("sneakers"));
        double unrelated = VectorMath.dot(minilm.embed("shoes"), minilm.embed("cake"));
        assertTrue("shoes/sneakers " + related + " vs shoes/cake " + unrelated, related > unrelated + 0.3);
    }

    public void testDefaultBatchingKeepsVectorsIndependentOfTheirNeighbours() throws IOException {
        OnnxEmbedder embedder = embedder(MINILM);
        assertEquals(1, OnnxEmbedder.DEFAULT_MAX_BATCH);
        float[] alone = embedder.embed("red running shoes");
        float[][] withOthers = embedder.embed(
                List.of("a much longer title that would force padding of the first input", "red running shoes"));
        assertArrayEquals(alone, withOthers[1], 0f);
    }

    /** Larger batches pad to the longest input and share int8 quantization scales: close to solo vectors, not equal. */
    public void testPaddedBatchesStayCloseToSoloVectors() throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(MINILM + "/embeddings.json");
        List<Map<String, Object>> cases = objects(fixture.get("cases"));
        List<String> texts = cases.stream().map(c -> (String) c.get("text")).toList();
        OnnxEmbedder batched = OnnxEmbedder.load(
                ModelRegistry.scan(EmbedTestSupport.modelsDir()).get(MINILM), 1, 32);
        try {
            float[][] vectors = batched.embed(texts);
            int seq = texts.stream()
                    .mapToInt(t ->
                            batched.tokenizer().encode(t, batched.maxTokens()).length())
                    .max()
                    .orElseThrow();
            assertEquals(128, seq);
            double worst = 1;
            for (int i = 0; i < texts.size(); i++) {
                assertEquals(1.0, VectorMath.norm(vectors[i]), 1e-5);
                worst = Math.min(
                        worst, VectorMath.cosine(vectors[i], floats(cases.get(i).get("vector"))));
            }
            assertTrue("worst cosine of a padded batch to the solo reference: " + worst, worst > 0.9);
            logger.info("padded batch of {}: worst cosine to solo reference vectors {}", texts.size(), worst);
        } finally {
            batched.close();
        }
    }

    public void testEmptyListAndWarmUp() throws IOException {
        OnnxEmbedder embedder = embedder(randomFrom(MINILM, BGE_EN, BGE_ZH));
        assertEquals(0, embedder.embed(Collections.emptyList()).length);
        embedder.warmUp();
    }

    public void testBatchesLargerThanMaxBatchAreSplit() throws IOException {
        OnnxEmbedder small = OnnxEmbedder.load(
                ModelRegistry.scan(EmbedTestSupport.modelsDir()).get(MINILM), 1, 3);
        try {
            List<String> texts = List.of("one", "two", "three", "four", "five", "six", "seven");
            float[][] split = small.embed(texts);
            assertEquals(texts.size(), split.length);
            // chunks of three: the seventh text is alone in its chunk and so equals its solo vector exactly
            assertArrayEquals(embedder(MINILM).embed("seven"), split[6], 0f);
            for (int i = 0; i < texts.size(); i++) {
                assertTrue(
                        texts.get(i),
                        VectorMath.cosine(split[i], embedder(MINILM).embed(texts.get(i))) > 0.95);
            }
        } finally {
            small.close();
        }
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> small.embed("after close"));
        assertTrue(e.getMessage(), e.getMessage().contains("closed"));
        small.close();
    }

    public void testConcurrentCallersGetTheSameVectors() throws Exception {
        OnnxEmbedder embedder = embedder(MINILM);
        List<String> texts =
                List.of("waterproof hiking boots", "trail running shoes", "leather office shoes", "kids sandals");
        float[][] expected = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            expected[i] = embedder.embed(texts.get(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (String text : texts) {
                    futures.add(pool.submit(() -> embedder.embed(text)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(expected[i % texts.size()], futures.get(i).get(60, TimeUnit.SECONDS), 0f);
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    public void testLoadRejectsBadArguments() throws IOException {
        BundledModel model = ModelRegistry.scan(EmbedTestSupport.modelsDir()).get(MINILM);
        expectThrows(IllegalArgumentException.class, () -> OnnxEmbedder.load(model, 0));
        expectThrows(IllegalArgumentException.class, () -> OnnxEmbedder.load(model, 1, 0));
    }

    public void testVectorMath() {
        float[] a = {3, 4};
        assertEquals(5.0, VectorMath.norm(a), 1e-9);
        assertEquals(25.0, VectorMath.dot(a, a), 1e-9);
        assertEquals(1.0, VectorMath.cosine(a, new float[] {6, 8}), 1e-9);
        assertEquals(0.0, VectorMath.cosine(a, new float[] {-4, 3}), 1e-9);
        assertEquals(0.0, VectorMath.cosine(a, new float[] {0, 0}), 0);
        assertArrayEquals(new float[] {0.6f, 0.8f}, VectorMath.l2Normalize(a), 1e-7f);
        assertArrayEquals(new float[] {0, 0}, VectorMath.l2Normalize(new float[] {0, 0}), 0f);
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> VectorMath.dot(a, new float[3]));
        assertTrue(e.getMessage(), e.getMessage().contains("2 vs 3"));
        assertTrue(Arrays.equals(a, new float[] {0.6f, 0.8f}));
    }

    public void testCancellingStopsARunningEmbeddingAndSkipsTheRest() throws Exception {
        OnnxEmbedder e = embedder(MINILM);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            texts.add("waterproof trail running shoes with a cushioned sole, model " + i
                    + ", for long distances on rough ground");
        }
        InferenceCancellation calls = new InferenceCancellation();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<float[][]> running = pool.submit(() -> e.embed(TextRole.DOCUMENT, texts, 1, calls));
            Thread.sleep(100);
            long cancelledAt = System.nanoTime();
            calls.cancel(InferenceInterruptedException.Reason.CANCELLED);
            java.util.concurrent.ExecutionException failed = expectThrows(
                    java.util.concurrent.ExecutionException.class, () -> running.get(30, TimeUnit.SECONDS));
            long stopMillis = (System.nanoTime() - cancelledAt) / 1_000_000;
            assertTrue(String.valueOf(failed.getCause()), failed.getCause() instanceof InferenceInterruptedException);
            assertEquals(
                    InferenceInterruptedException.Reason.CANCELLED,
                    ((InferenceInterruptedException) failed.getCause()).reason());
            // 400 texts take seconds; a cancelled call stops after at most the inference call under way
            assertTrue("stopped " + stopMillis + " ms after the cancel", stopMillis < 5_000);
        } finally {
            pool.shutdownNow();
        }
        // a cancelled handle starts nothing; the embedder itself keeps working
        expectThrows(InferenceInterruptedException.class, () -> e.embed(TextRole.DOCUMENT, List.of("shoes"), 1, calls));
        assertEquals(384, e.embed(TextRole.DOCUMENT, List.of("shoes"), 1, new InferenceCancellation())[0].length);
    }
}
