package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.ShopCap;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/** Lucene-level tests of the rescorer with a deterministic fake model (concept vectors). */
public class FairSemanticRescorerTests extends OpenSearchTestCase {

    /** Words map to concepts; a text's vector is the normalised sum of its concepts' random unit vectors. */
    static final class ConceptEmbeddings implements Embeddings {
        private static final Map<String, String> CONCEPTS = Map.of(
            "sneakers", "footwear", "shoes", "footwear", "trainers", "footwear",
            "rack", "storage", "shelf", "storage", "cake", "food"
        );
        int queries;
        int documents;

        @Override
        public String modelId() {
            return "concepts";
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

    private Directory directory;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private final ConceptEmbeddings model = new ConceptEmbeddings();
    private final FairSemanticRescorer rescorer = new FairSemanticRescorer(() -> model);

    private void index(String[][] docs) throws IOException {
        directory = newDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (String[] doc : docs) {
                Document d = new Document();
                d.add(new TextField("title", doc[0], Field.Store.NO));
                if (doc[1] != null) {
                    d.add(new SortedSetDocValuesField("shop", new BytesRef(doc[1])));
                }
                XContentType type = randomFrom(XContentType.JSON, XContentType.SMILE, XContentType.CBOR);
                XContentBuilder source = type.contentBuilder().startObject().field("title", doc[0]);
                if (doc[1] != null) {
                    source.field("shop", doc[1]);
                }
                source.endObject();
                d.add(new StoredField("_source", BytesReference.toBytes(BytesReference.bytes(source))));
                writer.addDocument(d);
                if (rarely()) {
                    writer.commit(); // several segments
                }
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    @Override
    public void tearDown() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (directory != null) {
            directory.close();
        }
        super.tearDown();
    }

    private FairRescoreContext context(int window, float weight, ShopCap cap) {
        ResolvedQuota quota = cap.isActive() ? new ResolvedQuota(cap, "shop", null, null) : new ResolvedQuota(QuotaPolicy.None.INSTANCE, null, null, null);
        return new FairRescoreContext(window, rescorer, "sneakers", List.of("title"), weight, 10f, quota);
    }

    private static String[][] catalog() {
        // Shop "big" owns the best lexical matches for "shoes"; one item of "tiny" is a semantic match (sneakers).
        return new String[][] {
            { "shoes shoes shoes rack", "big" },
            { "shoes shoes rack", "big" },
            { "shoes shoes cake", "big" },
            { "shoes rack", "big" },
            { "shoes cake", "mid" },
            { "shoes shelf", "mid" },
            { "shoes sneakers trainers", "tiny" },
            { "shoes cake cake", null },
            { "shoes shoes shelf", "big" },
            { "cake", "mid" } };
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
            java.util.Arrays.stream(first.scoreDocs, 0, window).mapToInt(s -> s.doc).sorted().boxed().toList(),
            java.util.Arrays.stream(rescored.scoreDocs, 0, window).mapToInt(s -> s.doc).sorted().boxed().toList()
        );
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
}
