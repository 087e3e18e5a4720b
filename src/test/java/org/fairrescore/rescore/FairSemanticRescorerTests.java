package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.fairness.Diversity;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.fairness.Rules;
import org.fairrescore.fairness.ShopCap;
import org.fairrescore.model.InferenceCancellation;
import org.fairrescore.model.ModelUnavailableException;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.core.common.breaker.CircuitBreaker;
import org.opensearch.core.common.breaker.CircuitBreakingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.indices.breaker.BreakerSettings;
import org.opensearch.indices.breaker.HierarchyCircuitBreakerService;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** Lucene-level tests of the rescorer with a deterministic fake model (concept vectors). */
public class FairSemanticRescorerTests extends InMemoryIndexTestCase {

    /** Words map to concepts; a text's vector is the normalised sum of its concepts' random unit vectors. */
    static class ConceptEmbeddings implements Embeddings {
        private static final Map<String, String> CONCEPTS = Map.of(
                "sneakers",
                "footwear",
                "shoes",
                "footwear",
                "trainers",
                "footwear",
                "rack",
                "storage",
                "shelf",
                "storage",
                "cake",
                "food");
        int queries;
        int documents;

        @Override
        public String modelId() {
            return "concepts";
        }

        @Override
        public int dims() {
            return 32;
        }

        @Override
        public int maxTokens() {
            return 128;
        }

        @Override
        public float[] embedQuery(String text) {
            queries++;
            return vector(text);
        }

        @Override
        public float[][] embedDocuments(List<String> texts) {
            documents += texts.size();
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = vector(texts.get(i));
            }
            return out;
        }

        static float[] vector(String text) {
            float[] v = new float[32];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
                if (word.isEmpty()) {
                    continue;
                }
                Random r = new Random(CONCEPTS.getOrDefault(word, word).hashCode());
                for (int d = 0; d < v.length; d++) {
                    v[d] += (float) r.nextGaussian();
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            if (norm > 0) {
                for (int d = 0; d < v.length; d++) {
                    v[d] /= (float) Math.sqrt(norm);
                }
            }
            return v;
        }
    }

    private final ConceptEmbeddings model = new ConceptEmbeddings();
    private final FairSemanticRescorer rescorer = TestRescorers.rescorer(model);

    private void index(String[][] docs) throws IOException {
        List<Document> documents = new java.util.ArrayList<>();
        for (String[] doc : docs) {
            Document d = new Document();
            d.add(new TextField("title", doc[0], Field.Store.NO));
            if (doc[1] != null) {
                d.add(new SortedSetDocValuesField("shop", new BytesRef(doc[1])));
            }
            d.add(source("title", doc[0], "shop", doc[1]));
            documents.add(d);
        }
        open(documents, d -> rarely()); // several segments
    }

    private FairRescoreContext context(int window, float weight, ShopCap cap) {
        ResolvedQuota quota = cap.isActive()
                ? new ResolvedQuota(cap, "shop", null, null)
                : new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null);
        return TestRescorers.context(window, rescorer, "sneakers", List.of("title"), weight, 10f, quota);
    }

    /** A window of 10 for "sneakers" on [title] without a quota, on {@code rescorer}. */
    private static FairRescoreContext unquoted(FairSemanticRescorer rescorer, float weight) {
        return TestRescorers.context(
                10,
                rescorer,
                "sneakers",
                List.of("title"),
                weight,
                10f,
                new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null));
    }

    private static String[][] catalog() {
        // Shop "big" owns the best lexical matches for "shoes"; one item of "tiny" is a semantic match (sneakers).
        return new String[][] {
            {"shoes shoes shoes rack", "big"},
            {"shoes shoes rack", "big"},
            {"shoes shoes cake", "big"},
            {"shoes rack", "big"},
            {"shoes cake", "mid"},
            {"shoes shelf", "mid"},
            {"shoes sneakers trainers", "tiny"},
            {"shoes cake cake", null},
            {"shoes shoes shelf", "big"},
            {"cake", "mid"}
        };
    }

    public void testWeightZeroKeepsLexicalOrderAndEmbedsNothing() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        TopDocs rescored = rescorer.rescore(first, searcher, context(10, 0f, ShopCap.NONE));
        for (int p = 0; p < first.scoreDocs.length; p++) {
            assertEquals(first.scoreDocs[p].doc, rescored.scoreDocs[p].doc);
        }
        assertEquals(0, model.queries + model.documents);
    }

    public void testSemanticWeightPromotesTheSemanticMatch() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        TopDocs rescored = rescorer.rescore(first, searcher, context(10, 1f, ShopCap.NONE));
        assertEquals(6, rescored.scoreDocs[0].doc); // "shoes sneakers trainers": footwear x3 against query "sneakers"
        assertEquals(1, model.queries);
    }

    public void testCapHoldsScoresDecreaseAndHitsBelowWindowStayBelow() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        int window = 6;
        ShopCap cap = new ShopCap(1, 3);
        FairRescoreContext context = context(window, 0.5f, cap);
        TopDocs rescored = rescorer.rescore(first, searcher, context);
        assertEquals(first.scoreDocs.length, rescored.scoreDocs.length);
        Map<Integer, String> shopOf = new HashMap<>();
        String[][] docs = catalog();
        for (int d = 0; d < docs.length; d++) {
            shopOf.put(d, docs[d][1]);
        }
        for (int p = 0; p < rescored.scoreDocs.length; p++) {
            ScoreDoc hit = rescored.scoreDocs[p];
            if (p > 0 && p < window) {
                assertTrue("window scores strictly decrease at " + p, hit.score < rescored.scoreDocs[p - 1].score);
            } else if (p > 0) {
                assertTrue("scores never increase at " + p, hit.score <= rescored.scoreDocs[p - 1].score);
            }
            if (p < window) {
                assertTrue(hit.score >= 1f);
            } else {
                assertTrue(hit.score < 1f);
                assertEquals("hits below the window keep their order", first.scoreDocs[p].doc, hit.doc);
            }
        }
        // the window holds the same documents as the first pass window
        assertEquals(
                java.util.Arrays.stream(first.scoreDocs, 0, window)
                        .mapToInt(s -> s.doc)
                        .sorted()
                        .boxed()
                        .toList(),
                java.util.Arrays.stream(rescored.scoreDocs, 0, window)
                        .mapToInt(s -> s.doc)
                        .sorted()
                        .boxed()
                        .toList());
        boolean[] violates = context.window().reordering().violates();
        boolean broken = false;
        for (int p = 1; p < window; p++) {
            int same = 0;
            for (int q = Math.max(0, p - cap.window() + 1); q < p; q++) {
                String a = shopOf.get(rescored.scoreDocs[p].doc);
                if (a != null && a.equals(shopOf.get(rescored.scoreDocs[q].doc))) {
                    same++;
                }
            }
            if (same >= cap.maxPerShop()) {
                broken = true;
                assertTrue("cap broken at " + p + " where the window could still meet it", violates[p]);
            }
        }
        assertEquals(context.window().reordering().quotaMet(), broken == false);
    }

    public void testExplainTellsSubScoresAndQuotaDecisionOnAFreshContext() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        ShopCap cap = new ShopCap(1, 2);
        TopDocs rescored = rescorer.rescore(first, searcher, context(10, 0.5f, cap));

        // as in a multi-shard fetch phase: a new context that only knows the first-pass query
        FairRescoreContext fresh = context(10, 0.5f, cap);
        fresh.firstPassQuery(query);
        boolean sawMove = false;
        for (ScoreDoc hit : rescored.scoreDocs) {
            Explanation source = searcher.explain(query, hit.doc);
            Explanation explanation = rescorer.explain(hit.doc, searcher, fresh, source);
            assertEquals(hit.score, explanation.getValue().floatValue(), 0f);
            String text = explanation.toString();
            assertTrue(text, text.contains("first-pass score"));
            assertTrue(text, text.contains("cosine(query, document)"));
            assertTrue(text, text.contains("quota:"));
            sawMove |= text.contains("moved down");
        }
        assertTrue("some hit was moved by the cap", sawMove);
    }

    public void testSeveralRulesAndDiversityGoThroughOnePlacementAndExplainNamesThem() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        QuotaPolicy rules = Rules.of(
                List.of(new ShopCap(2, 4), new GroupFairTopK(List.of("mid", "tiny"), new double[] {0.2, 0.1}, 0.1)));
        ResolvedQuota quota = new ResolvedQuota(rules, "shop", null, null, "shop", null);
        // "shoes shoes rack" and "shoes shoes shelf" (rack and shelf: one concept) have the same vector
        Diversity diversity = new Diversity(0.7, 0.99);
        FairRescoreStats stats = new FairRescoreStats();
        FairSemanticRescorer counted = TestRescorers.rescorer(model, new DocumentVectors(null, 100), stats);
        FairRescoreContext context =
                TestRescorers.context(10, counted, "sneakers", List.of("title"), 0.5f, 10f, quota, null, diversity);
        assertTrue(context.composite());
        TopDocs rescored = counted.rescore(first, searcher, context);
        Reordering reordering = context.window().reordering();
        assertNotNull(reordering.trace());
        assertEquals(2, reordering.trace().rules().size());

        String[][] docs = catalog();
        if (reordering.quotaMet()) {
            int n = reordering.order().length;
            for (int p = 0; p < n; p++) { // at most 2 of a shop in any 4 consecutive positions
                Map<String, Integer> counts = new HashMap<>();
                for (int q = Math.max(0, p - 3); q <= p; q++) {
                    String shop = docs[rescored.scoreDocs[q].doc][1];
                    if (shop != null) {
                        counts.merge(shop, 1, Integer::sum);
                    }
                }
                assertTrue(
                        "cap at " + p + ": " + counts, counts.values().stream().allMatch(c -> c <= 2));
            }
        }
        FairRescoreContext fresh =
                TestRescorers.context(10, counted, "sneakers", List.of("title"), 0.5f, 10f, quota, null, diversity);
        fresh.firstPassQuery(query);
        boolean sawDuplicate = false;
        for (ScoreDoc hit : rescored.scoreDocs) {
            Explanation explanation = counted.explain(hit.doc, searcher, fresh, searcher.explain(query, hit.doc));
            assertEquals(hit.score, explanation.getValue().floatValue(), 0f);
            String text = explanation.toString();
            assertTrue(text, text.contains("rules: "));
            assertTrue(text, text.contains("group_fair_topk mid>=0.2 tiny>=0.1"));
            assertTrue(text, text.contains("diversity lambda=0.7"));
            sawDuplicate |= text.contains("near duplicate of [doc ");
        }
        assertTrue("a near duplicate was named", sawDuplicate);
        NodeStats.QuotaCounts counts = stats.snapshot().rescoreQuota().get("[group_fair_topk,cap]+diversity");
        assertNotNull(stats.snapshot().rescoreQuota().toString(), counts);
        assertEquals(1, counts.windows());
        assertTrue(counts.nearDuplicates() > 0);
    }

    public void testDiversityWithoutVectorsKeepsTheOrderAndExplainSaysSo() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        ResolvedQuota none = new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null);
        FairRescoreContext context = TestRescorers.context(
                10, rescorer, "sneakers", List.of("title"), 0f, 10f, none, null, new Diversity(0.5, 0.9));
        TopDocs rescored = rescorer.rescore(first, searcher, context);
        for (int p = 0; p < first.scoreDocs.length; p++) {
            assertEquals(first.scoreDocs[p].doc, rescored.scoreDocs[p].doc);
        }
        Explanation explanation = rescorer.explain(
                rescored.scoreDocs[0].doc, searcher, context, searcher.explain(query, rescored.scoreDocs[0].doc));
        assertTrue(explanation.toString(), explanation.toString().contains("no document vector"));
        assertEquals(0, model.queries + model.documents);
    }

    public void testExplainOutsideTheWindow() throws IOException {
        index(catalog());
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        FairRescoreContext context = context(2, 0.5f, ShopCap.NONE);
        TopDocs rescored = rescorer.rescore(first, searcher, context);
        ScoreDoc last = rescored.scoreDocs[rescored.scoreDocs.length - 1];
        Explanation explanation = rescorer.explain(last.doc, searcher, context, searcher.explain(query, last.doc));
        assertEquals(last.score, explanation.getValue().floatValue(), 0f);
        assertTrue(explanation.toString(), explanation.getDescription().contains("outside the rescore window"));
    }

    /** The concept model whose inference never finishes (a stuck or overloaded inference pool). */
    private static final class StuckEmbeddings extends AsyncOnlyEmbeddings {
        final List<CompletableFuture<?>> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<InferenceCancellation> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        StuckEmbeddings() {
            super("stuck");
        }

        @Override
        public CompletableFuture<float[]> embedQueryAsync(String text) {
            CompletableFuture<float[]> never = new CompletableFuture<>();
            started.add(never);
            return never;
        }

        @Override
        public CompletableFuture<float[][]> embedDocumentsAsync(
                List<String> texts, InferenceCancellation cancellation) {
            calls.add(cancellation);
            CompletableFuture<float[][]> never = new CompletableFuture<>();
            started.add(never);
            return never;
        }
    }

    public void testInferencePastTheTimeoutKeepsFirstPassOrderUnderTheQuotaAndExplainSaysSo() throws IOException {
        index(catalog());
        FairRescoreStats stats = new FairRescoreStats();
        StuckEmbeddings stuck = new StuckEmbeddings();
        FairSemanticRescorer slow = TestRescorers.rescorer(stuck, new DocumentVectors(null, 100), stats);
        slow.inferenceTimeout(TimeValue.timeValueMillis(30));
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        ShopCap cap = new ShopCap(1, 2);

        // the expected order: the first-pass scores alone, reordered under the cap (weight 0 on the plain rescorer)
        TopDocs lexical = rescorer.rescore(searcher.search(query, 10), searcher, context(10, 0f, cap));
        FairRescoreContext context = TestRescorers.context(
                10, slow, "sneakers", List.of("title"), 1f, 10f, new ResolvedQuota(cap, "shop", null, null));
        long start = System.nanoTime();
        TopDocs rescored = slow.rescore(first, searcher, context);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("gave up near the 30 ms budget, took " + tookMillis + " ms", tookMillis < 5_000);
        for (int p = 0; p < lexical.scoreDocs.length; p++) {
            assertEquals(lexical.scoreDocs[p].doc, rescored.scoreDocs[p].doc);
            assertEquals(lexical.scoreDocs[p].score, rescored.scoreDocs[p].score, 0f);
        }
        assertEquals(1, stats.snapshot().isolation().timeouts());
        // the window waited for its query vector until the budget ran out, and the stats show that wait
        assertEquals(1, stats.snapshot().rescore().queryVectorWaitMicros().count());
        assertTrue(stats.snapshot().rescore().queryVectorWaitMicros().max() >= 20_000);
        Explanation explanation = slow.explain(
                rescored.scoreDocs[0].doc, searcher, context, searcher.explain(query, rescored.scoreDocs[0].doc));
        String text = explanation.toString();
        assertTrue(text, text.contains("inference timed out"));
        assertTrue(text, text.contains("fair_rescore.inference.timeout"));
        assertTrue(text, text.contains("quota:"));
        assertFalse(text, text.contains("cosine(query, document)"));
    }

    public void testOnTheFlyInferencePastTheTimeoutIsCancelled() throws IOException {
        index(catalog());
        StuckEmbeddings stuck = new StuckEmbeddings();
        float[] queryVector = ConceptEmbeddings.vector("sneakers");
        Embeddings queryReady = new AsyncOnlyEmbeddings("query-ready") {
            @Override
            public CompletableFuture<float[]> embedQueryAsync(String text) {
                return CompletableFuture.completedFuture(queryVector);
            }

            @Override
            public CompletableFuture<float[][]> embedDocumentsAsync(List<String> texts, InferenceCancellation calls) {
                return stuck.embedDocumentsAsync(texts, calls);
            }
        };
        FairRescoreStats stats = new FairRescoreStats();
        FairSemanticRescorer slow = TestRescorers.rescorer(queryReady, new DocumentVectors(null, 100), stats);
        slow.inferenceTimeout(TimeValue.timeValueMillis(20));
        FairRescoreContext context = unquoted(slow, 1f);
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        TopDocs rescored = slow.rescore(first, searcher, context);
        for (int p = 0; p < first.scoreDocs.length; p++) {
            assertEquals(first.scoreDocs[p].doc, rescored.scoreDocs[p].doc);
        }
        assertEquals(1, stuck.calls.size());
        assertTrue(
                "the on-the-fly inference the window gave up on is cancelled",
                stuck.calls.get(0).isCancelled());
        assertEquals(1, stats.snapshot().isolation().timeouts());
    }

    public void testCancelledSearchStopsWaitingAndCancelsItsInference() throws IOException {
        index(catalog());
        StuckEmbeddings stuck = new StuckEmbeddings();
        FairRescoreStats stats = new FairRescoreStats();
        FairSemanticRescorer slow = TestRescorers.rescorer(stuck, new DocumentVectors(null, 100), stats);
        slow.inferenceTimeout(TimeValue.timeValueHours(1));
        FairRescoreContext context = unquoted(slow, 1f);
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        context.cancelled(cancelled::get);
        Query query = new TermQuery(new Term("title", "shoes"));
        TopDocs first = searcher.search(query, 10);
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancelled.set(true);
        });
        canceller.start();
        long start = System.nanoTime();
        TaskCancelledException e =
                expectThrows(TaskCancelledException.class, () -> slow.rescore(first, searcher, context));
        assertTrue(e.getMessage(), e.getMessage().contains("cancelled"));
        assertTrue("noticed within a few polls", (System.nanoTime() - start) / 1_000_000 < 10_000);
        assertEquals(1, stats.snapshot().isolation().cancelled());
        assertEquals(0, stats.snapshot().isolation().timeouts());
    }

    public void testCircuitBreakerRefusesAnOversizedWindowAndGivesBackWhatItTook() throws IOException {
        index(catalog());
        FairRescoreStats stats = new FairRescoreStats();
        HierarchyCircuitBreakerService service = new HierarchyCircuitBreakerService(
                Settings.EMPTY,
                List.of(new BreakerSettings("fair_rescore", 4096, 1.0)),
                new ClusterSettings(Settings.EMPTY, ClusterSettings.BUILT_IN_CLUSTER_SETTINGS));
        CircuitBreaker breaker = service.getBreaker("fair_rescore");
        RequestMemory memory = new RequestMemory(() -> breaker, 32, 128, 1);
        FairSemanticRescorer guarded = TestRescorers.rescorer(model, new DocumentVectors(null, 100), stats, memory);
        Query query = new TermQuery(new Term("title", "shoes"));

        // lexical only: 10 hits fit in 4 KB
        TopDocs lexical = guarded.rescore(searcher.search(query, 10), searcher, unquoted(guarded, 0f));
        assertEquals(9, lexical.scoreDocs.length);
        assertEquals(0, breaker.getUsed());

        // embedding 9 hits on the fly needs more than 4 KB
        FairRescoreContext semantic = unquoted(guarded, 1f);
        CircuitBreakingException e = expectThrows(
                CircuitBreakingException.class, () -> guarded.rescore(searcher.search(query, 10), searcher, semantic));
        assertEquals(RestStatus.TOO_MANY_REQUESTS, e.status());
        assertTrue(e.getMessage(), e.getMessage().contains("fair_rescore"));
        assertTrue(e.getMessage(), e.getMessage().contains("fair_semantic window of 9 hits"));
        assertEquals(0, breaker.getUsed());
        assertEquals(1, breaker.getTrippedCount());
        assertEquals(1, stats.snapshot().isolation().breakerTrips());
        assertEquals(0, model.documents);

        breaker.setLimitAndOverhead(memory.window(9, 9), 1.0);
        guarded.rescore(searcher.search(query, 10), searcher, semantic);
        assertEquals(0, breaker.getUsed());
    }

    public void testUnavailableModelAnswers503NamingTheModelError() throws IOException {
        index(catalog());
        Embeddings broken = Embeddings.of(
                "broken",
                t -> {
                    throw new ModelUnavailableException(
                            "fair-rescore: model [broken] cannot be loaded from [/x/broken]: sha256 mismatch");
                },
                t -> {
                    throw new ModelUnavailableException(
                            "fair-rescore: model [broken] cannot be loaded from [/x/broken]: sha256 mismatch");
                });
        FairSemanticRescorer unavailable = TestRescorers.rescorer(broken);
        Query query = new TermQuery(new Term("title", "shoes"));
        FairRescoreContext context = unquoted(unavailable, 1f);
        OpenSearchStatusException e = expectThrows(
                OpenSearchStatusException.class,
                () -> unavailable.rescore(searcher.search(query, 10), searcher, context));
        assertEquals(RestStatus.SERVICE_UNAVAILABLE, e.status());
        assertTrue(e.getMessage(), e.getMessage().contains("model [broken]"));
        assertTrue(e.getMessage(), e.getMessage().contains("/x/broken"));
        // lexical-only searches do not need the model
        FairRescoreContext lexical = unquoted(unavailable, 0f);
        assertEquals(9, unavailable.rescore(searcher.search(query, 10), searcher, lexical).scoreDocs.length);
    }
}
