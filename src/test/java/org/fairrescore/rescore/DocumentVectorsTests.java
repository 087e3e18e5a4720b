package org.fairrescore.rescore;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.cache.DocumentEmbeddingCache;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.vectors.VectorCodec;
import org.fairrescore.vectors.VectorEncoding;
import org.fairrescore.vectors.VectorModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Stored vectors, on-the-fly fallback with its budget and cache, at the Lucene level with the concept model. */
public class DocumentVectorsTests extends InMemoryIndexTestCase {

    private static final String[] TITLES = {
        "shoes shoes shoes rack",
        "shoes sneakers trainers",
        "shoes cake",
        "shoes shelf",
        "shoes rack",
        "shoes shoes cake",
        "shoes trainers",
        "shoes"
    };

    private static final ResolvedQuota NO_QUOTA = new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null);

    private final FairSemanticRescorerTests.ConceptEmbeddings model = new FairSemanticRescorerTests.ConceptEmbeddings();

    /** Indexes {@link #TITLES}; {@code withVector[d]} says whether doc d gets a stored vector (of its own title). */
    private void index(boolean[] withVector, VectorEncoding encoding) throws IOException {
        List<Document> docs = new java.util.ArrayList<>();
        for (int d = 0; d < TITLES.length; d++) {
            Document doc = new Document();
            doc.add(new TextField("title", TITLES[d], Field.Store.NO));
            doc.add(source("title", TITLES[d]));
            if (withVector[d]) {
                float[] v = FairSemanticRescorerTests.ConceptEmbeddings.vector(TITLES[d]);
                doc.add(new BinaryDocValuesField(
                        "title_vector",
                        new BytesRef(VectorCodec.encode(v, encoding, VectorModel.fingerprintOf(model.modelId())))));
            }
            docs.add(doc);
        }
        open(docs, d -> d == 3); // two segments
    }

    private static boolean[] all(boolean value) {
        boolean[] b = new boolean[TITLES.length];
        java.util.Arrays.fill(b, value);
        return b;
    }

    private FairRescoreContext context(FairSemanticRescorer rescorer, String vectorField) {
        return TestRescorers.context(10, rescorer, "sneakers", List.of("title"), 1f, 10f, NO_QUOTA, vectorField);
    }

    private TopDocs firstPass() throws IOException {
        return searcher.search(new TermQuery(new Term("title", "shoes")), 10);
    }

    public void testStoredVectorsAreUsedAndNothingIsEmbedded() throws IOException {
        index(all(true), VectorEncoding.FLOAT32);
        DocumentVectors vectors = new DocumentVectors(new DocumentEmbeddingCache(1 << 20), 100);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        FairRescoreContext context = context(rescorer, "title_vector");
        TopDocs rescored = rescorer.rescore(firstPass(), searcher, context);
        assertEquals(0, model.documents);
        assertEquals(TITLES.length, vectors.counters().stored());
        assertEquals(0, vectors.counters().onTheFly());
        assertEquals(0, vectors.counters().embedded());
        for (DocumentVectors.Source s : context.window().vectors().sources()) {
            assertEquals(DocumentVectors.Source.STORED, s);
        }
        assertEquals(TITLES.length, rescored.scoreDocs.length);
    }

    /**
     * The bug this guards against: a node that switched to another model of the same dimensions scored the stored
     * vectors of the first against query vectors of the second, silently. A stored vector of another model is never
     * compared: the hit is embedded on the fly with the query's model within the budget (else a neutral cosine), and
     * explain and the counters say why.
     */
    public void testStoredVectorsOfAnotherModelAreNeverScored() throws IOException {
        index(all(true), randomFrom(VectorEncoding.values()));
        // same dimensions, same vectors as "concepts" would make, but another model id
        FairSemanticRescorerTests.ConceptEmbeddings other = new FairSemanticRescorerTests.ConceptEmbeddings() {
            @Override
            public String modelId() {
                return "concepts-v2";
            }
        };
        DocumentVectors vectors = new DocumentVectors(null, 3);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(other, vectors);
        FairRescoreContext context = context(rescorer, "title_vector");
        rescorer.rescore(firstPass(), searcher, context);
        DocumentVectors.Window window = context.window().vectors();
        assertEquals(0, vectors.counters().stored());
        assertEquals(TITLES.length, vectors.counters().modelMismatch());
        assertEquals(
                "every hit's stored vector is foreign",
                TITLES.length,
                window.foreign().size());
        for (long madeBy : window.foreign().values()) {
            assertEquals(VectorModel.fingerprintOf("concepts"), madeBy);
        }
        assertEquals("the budget's 3 hits embedded with the query's model", 3, other.documents);
        int onTheFly = 0;
        for (int i = 0; i < TITLES.length; i++) {
            DocumentVectors.Source source = window.sources()[i];
            assertTrue(
                    source.toString(),
                    source == DocumentVectors.Source.ON_THE_FLY || source == DocumentVectors.Source.OVER_BUDGET);
            onTheFly += source == DocumentVectors.Source.ON_THE_FLY ? 1 : 0;
            if (source == DocumentVectors.Source.OVER_BUDGET) {
                assertEquals(
                        "a neutral cosine, not the foreign vector's",
                        0f,
                        context.window().cosine()[i],
                        0f);
            }
        }
        assertEquals(3, onTheFly);
        ScoredWindow w = context.window();
        org.apache.lucene.search.Explanation explanation = rescorer.explain(
                w.docs()[0], searcher, context, org.apache.lucene.search.Explanation.match(1f, "first pass"));
        String text = explanation.toString();
        assertTrue(text, text.contains("the vector stored in [title_vector] was made by another model"));
        assertTrue(text, text.contains("not by the query's model, so it is not compared"));
        assertTrue(text, text.contains("model [concepts-v2]"));
    }

    public void testStoredAndOnTheFlyGiveIdenticalScoresForTheSameText() throws IOException {
        index(all(true), VectorEncoding.FLOAT32);
        FairSemanticRescorer stored = TestRescorers.rescorer(model, new DocumentVectors(null, 100));
        TopDocs a = stored.rescore(firstPass(), searcher, context(stored, "title_vector"));
        assertEquals(0, model.documents);

        FairSemanticRescorer onTheFly =
                TestRescorers.rescorer(model, new DocumentVectors(new DocumentEmbeddingCache(1 << 20), 100));
        TopDocs b = onTheFly.rescore(firstPass(), searcher, context(onTheFly, null));
        assertEquals(TITLES.length, model.documents);
        assertEquals(a.scoreDocs.length, b.scoreDocs.length);
        for (int p = 0; p < a.scoreDocs.length; p++) {
            assertEquals(a.scoreDocs[p].doc, b.scoreDocs[p].doc);
            assertEquals(a.scoreDocs[p].score, b.scoreDocs[p].score, 0f);
        }
    }

    public void testInt8VectorsGiveNearlyTheSameCosines() throws IOException {
        index(all(true), VectorEncoding.INT8);
        DocumentVectors vectors = new DocumentVectors(null, 0);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        FairRescoreContext context = context(rescorer, "title_vector");
        rescorer.rescore(firstPass(), searcher, context);
        ScoredWindow w = context.window();
        float[] query = FairSemanticRescorerTests.ConceptEmbeddings.vector("sneakers");
        for (int i = 0; i < w.docs().length; i++) {
            float exact = org.fairrescore.model.VectorMath.dotFloat(
                    query,
                    org.fairrescore.model.VectorMath.l2Normalize(
                            FairSemanticRescorerTests.ConceptEmbeddings.vector(TITLES[w.docs()[i]])));
            assertEquals(exact, w.cosine()[i], 0.02f);
        }
    }

    public void testHitsWithoutVectorsAreEmbeddedOnTheFlyWithinTheBudgetInFirstPassOrder() throws IOException {
        boolean[] some = all(false);
        some[0] = true;
        some[4] = true;
        index(some, VectorEncoding.FLOAT32);
        DocumentEmbeddingCache cache = new DocumentEmbeddingCache(1 << 20);
        DocumentVectors vectors = new DocumentVectors(cache, 3);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        FairRescoreContext context = context(rescorer, "title_vector");
        TopDocs first = firstPass();
        rescorer.rescore(first, searcher, context);
        DocumentVectors.Source[] sources = context.window().vectors().sources();
        int[] docs = context.window().docs();
        int onTheFly = 0;
        boolean budgetUsed = false;
        for (int i = 0; i < docs.length; i++) {
            assertEquals("window is in first-pass order", first.scoreDocs[i].doc, docs[i]);
            if (some[docs[i]]) {
                assertEquals(DocumentVectors.Source.STORED, sources[i]);
            } else if (budgetUsed) {
                assertEquals(
                        "after the budget every hit without a vector is neutral",
                        DocumentVectors.Source.OVER_BUDGET,
                        sources[i]);
                assertEquals(0f, context.window().cosine()[i], 0f);
            } else {
                assertEquals(DocumentVectors.Source.ON_THE_FLY, sources[i]);
                budgetUsed = ++onTheFly == 3;
            }
        }
        assertEquals(3, model.documents);
        assertEquals(3, vectors.counters().onTheFly());
        assertEquals(TITLES.length - 5, vectors.counters().overBudget());

        // again: the same three come from the cache, nothing is embedded, and the over-budget hits stay neutral even
        // though the cache could not have held them (scores never depend on what the cache holds)
        FairRescoreContext again = context(rescorer, "title_vector");
        rescorer.rescore(firstPass(), searcher, again);
        assertEquals(3, model.documents);
        assertArrayEquals(context.window().cosine(), again.window().cosine(), 0f);
        assertEquals(3, vectors.counters().embedded());
        assertEquals(6, vectors.counters().onTheFly());

        // explain says which hits were over the budget, and where the others' vectors came from
        Query query = new TermQuery(new Term("title", "shoes"));
        List<String> texts = new ArrayList<>();
        for (ScoreDoc hit : firstPass().scoreDocs) {
            Explanation e = rescorer.explain(hit.doc, searcher, again, searcher.explain(query, hit.doc));
            texts.add(e.toString());
        }
        String all = String.join("\n", texts);
        assertTrue(all, all.contains("vector stored in [title_vector]"));
        assertTrue(all, all.contains("embedded on the fly (no vector stored in [title_vector])"));
        assertTrue(
                all,
                all.contains(
                        "the 3 on-the-fly embeddings per shard request that [fair_rescore.max_on_the_fly_docs] allows"));
    }

    public void testBudgetZeroEmbedsNothing() throws IOException {
        index(all(false), VectorEncoding.FLOAT32);
        DocumentVectors vectors = new DocumentVectors(null, 0);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        FairRescoreContext context = context(rescorer, null);
        rescorer.rescore(firstPass(), searcher, context);
        assertEquals(0, model.documents);
        assertEquals(TITLES.length, vectors.counters().overBudget());
    }

    public void testCacheEntriesGoAwayWithTheirSegments() throws IOException {
        index(all(false), VectorEncoding.FLOAT32);
        DocumentEmbeddingCache cache = new DocumentEmbeddingCache(1 << 20);
        DocumentVectors vectors = new DocumentVectors(cache, 100);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        rescorer.rescore(firstPass(), searcher, context(rescorer, null));
        assertEquals(TITLES.length, cache.stats().entries());
        assertEquals(2, cache.cachedSegments());
        assertEquals(2, cache.trackedSegments());
        reader.close();
        reader = null;
        assertEquals(
                "closing the reader closed both segment cores", 0, cache.stats().entries());
        assertEquals(0, cache.stats().bytes());
        assertEquals(0, cache.trackedSegments());
    }

    public void testDifferentTextFieldsAreDifferentCacheEntries() throws IOException {
        index(all(false), VectorEncoding.FLOAT32);
        DocumentEmbeddingCache cache = new DocumentEmbeddingCache(1 << 20);
        DocumentVectors vectors = new DocumentVectors(cache, 100);
        FairSemanticRescorer rescorer = TestRescorers.rescorer(model, vectors);
        rescorer.rescore(firstPass(), searcher, context(rescorer, null));
        FairRescoreContext other =
                TestRescorers.context(10, rescorer, "sneakers", List.of("title", "description"), 1f, 10f, NO_QUOTA);
        rescorer.rescore(firstPass(), searcher, other);
        assertEquals(2 * TITLES.length, model.documents);
        assertEquals(2 * TITLES.length, cache.stats().entries());
    }

    public void testAPrefetchedQueryVectorIsUsedAndItsFailureSurfaces() throws IOException {
        index(all(true), VectorEncoding.FLOAT32);
        java.util.concurrent.CompletableFuture<float[]> pending = new java.util.concurrent.CompletableFuture<>();
        Embeddings async = new Embeddings() {
            @Override
            public String modelId() {
                return model.modelId();
            }

            @Override
            public float[] embedQuery(String text) {
                return model.embedQuery(text);
            }

            @Override
            public float[][] embedDocuments(List<String> texts) {
                return model.embedDocuments(texts);
            }

            @Override
            public java.util.concurrent.CompletableFuture<float[]> embedQueryAsync(String text) {
                return pending;
            }
        };
        FairSemanticRescorer rescorer = TestRescorers.rescorer(async, new DocumentVectors(null, 100));
        FairRescoreContext context = context(rescorer, "title_vector");
        context.prefetchQueryVector();
        Thread t = new Thread(() -> pending.complete(FairSemanticRescorerTests.ConceptEmbeddings.vector("sneakers")));
        t.start();
        rescorer.rescore(firstPass(), searcher, context);
        assertEquals("the prefetched vector was used, nothing embedded here", 0, model.queries);

        FairSemanticRescorer broken = TestRescorers.rescorer(
                new AsyncOnlyEmbeddings(model.modelId()) {
                    @Override
                    public java.util.concurrent.CompletableFuture<float[]> embedQueryAsync(String text) {
                        return java.util.concurrent.CompletableFuture.failedFuture(
                                new IllegalStateException("inference failed"));
                    }
                },
                new DocumentVectors(null, 100));
        FairRescoreContext failing = context(broken, "title_vector");
        failing.prefetchQueryVector();
        IllegalStateException e =
                expectThrows(IllegalStateException.class, () -> broken.rescore(firstPass(), searcher, failing));
        assertEquals("inference failed", e.getMessage());
    }
}
