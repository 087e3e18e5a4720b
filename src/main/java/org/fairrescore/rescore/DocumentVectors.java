package org.fairrescore.rescore;

import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.cache.DocumentEmbeddingCache;
import org.fairrescore.model.InferenceBudget;
import org.fairrescore.model.VectorMath;
import org.fairrescore.vectors.VectorCodec;
import org.fairrescore.vectors.VectorModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The document vectors of a rescore window, one node-wide instance. Stored vectors come from the binary doc values
 * of the index's {@code fair_rescore_vector} field, read in doc-id order; a stored vector is used only when it was made
 * by the query's model (its fingerprint, {@link VectorCodec#model}), so vectors of two models are never compared. Hits
 * without a usable one get a vector embedded on the fly from their text fields, for at most {@link #maxOnTheFly()} hits per shard request, taken in first-pass
 * order (whether or not the vector is already in the node's {@link DocumentEmbeddingCache}, so a hit's score does not
 * depend on what the cache holds); the rest get no vector (a neutral cosine).
 */
public final class DocumentVectors {

    /** Where a hit's vector came from. */
    public enum Source {
        /** Read from the vector field's doc values. */
        STORED,
        /** Embedded on the fly from the hit's text, now or earlier (node cache). */
        ON_THE_FLY,
        /** No stored vector and no text to embed: neutral cosine. */
        NO_TEXT,
        /** No stored vector, and the per-request on-the-fly budget went to better first-pass hits: neutral cosine. */
        OVER_BUDGET,
        /** Not looked up (semantic weight 0). */
        NONE,
        /** Not used: the window's inference did not finish within its budget, so the window is scored without cosines. */
        TIMED_OUT
    }

    /**
     * Cosines of one window with the query, indexed like its hits; 0 (neutral) unless the source is STORED or
     * ON_THE_FLY. {@code foreign}: the hits whose stored vector was made by another model than the query's (the
     * fingerprint of that model, {@link VectorModel#UNKNOWN} for a vector written before vectors carried one); such a
     * vector is never scored, the hit is embedded on the fly (or gets a neutral cosine over the budget).
     */
    public record Window(float[] cosines, Source[] sources, int budget, Map<Integer, Long> foreign, float[][] vectors) {

        public Window(float[] cosines, Source[] sources, int budget) {
            this(cosines, sources, budget, Map.of(), null);
        }

        public Window(float[] cosines, Source[] sources, int budget, Map<Integer, Long> foreign) {
            this(cosines, sources, budget, foreign, null);
        }

        /** A window whose vectors were not looked up (semantic weight 0). */
        public static Window none(int n) {
            return all(n, Source.NONE);
        }

        /** A window whose inference ran out of time: no cosines at all. */
        public static Window timedOut(int n) {
            return all(n, Source.TIMED_OUT);
        }

        private static Window all(int n, Source source) {
            Source[] sources = new Source[n];
            Arrays.fill(sources, source);
            return new Window(new float[n], sources, 0);
        }

        /** Whether the window was scored without cosines because its inference timed out. */
        public boolean timedOut() {
            return sources.length > 0 && sources[0] == Source.TIMED_OUT;
        }
    }

    /** What this node's rescorer has done with document vectors. */
    public static final class Counters {
        private final LongAdder stored = new LongAdder();
        private final LongAdder onTheFly = new LongAdder();
        private final LongAdder embedded = new LongAdder();
        private final LongAdder overBudget = new LongAdder();
        private final LongAdder noText = new LongAdder();
        private final LongAdder modelMismatch = new LongAdder();

        /** Hits scored with a stored vector. */
        public long stored() {
            return stored.sum();
        }

        /** Hits scored with an on-the-fly vector (embedded now or taken from the node cache). */
        public long onTheFly() {
            return onTheFly.sum();
        }

        /** Documents actually embedded on the fly (cache misses). */
        public long embedded() {
            return embedded.sum();
        }

        /** Hits left with a neutral cosine because the on-the-fly budget was used up. */
        public long overBudget() {
            return overBudget.sum();
        }

        /** Hits with neither a stored vector nor text. */
        public long noText() {
            return noText.sum();
        }

        /** Stored vectors not scored because another model made them (the hit was embedded on the fly, or got a neutral cosine). */
        public long modelMismatch() {
            return modelMismatch.sum();
        }
    }

    private static final float[] NO_TEXT = new float[0];

    private final DocumentEmbeddingCache cache;
    private final Counters counters = new Counters();
    private volatile int maxOnTheFly;

    /**
     * @param cache       the node's cache of on-the-fly vectors, or null for none
     * @param maxOnTheFly hits per shard request that may get an on-the-fly vector
     */
    public DocumentVectors(DocumentEmbeddingCache cache, int maxOnTheFly) {
        this.cache = cache;
        maxOnTheFly(maxOnTheFly);
    }

    public int maxOnTheFly() {
        return maxOnTheFly;
    }

    public void maxOnTheFly(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("maxOnTheFly must be >= 0, got " + value);
        }
        this.maxOnTheFly = value;
    }

    public Counters counters() {
        return counters;
    }

    /** The node's cache of on-the-fly vectors, or null. */
    public DocumentEmbeddingCache cache() {
        return cache;
    }

    /**
     * Cosines between the query and the window's hits.
     *
     * <p>{@code vectors} of the result: null unless {@code keepVectors}; then each hit's unit vector (the stored one
     * decoded, or the one embedded on the fly), null where the hit has none (no text, over the budget, another model's).
     * Diversity reads them: no inference beyond what the cosines needed.
     *
     * @param docs        top-level doc ids, in first-pass order
     * @param vectorField the {@code fair_rescore_vector} field, or null when the index has none
     * @param fields      text fields for on-the-fly vectors
     * @param model       the query's model (stored vectors of another model are not used)
     * @param query       the unit query vector
     * @param inference   the request's inference budget (on-the-fly embedding waits within it)
     * @throws org.fairrescore.model.InferenceInterruptedException when on-the-fly embedding runs out of time or the
     *         request is cancelled
     */
    public Window read(
            IndexReader reader,
            int[] docs,
            String vectorField,
            List<String> fields,
            Embeddings model,
            float[] query,
            InferenceBudget inference)
            throws IOException {
        return read(reader, docs, vectorField, fields, model, query, inference, false);
    }

    /** {@link #read}, keeping each hit's vector when {@code keepVectors} (for diversity). */
    public Window read(
            IndexReader reader,
            int[] docs,
            String vectorField,
            List<String> fields,
            Embeddings model,
            float[] query,
            InferenceBudget inference,
            boolean keepVectors)
            throws IOException {
        int n = docs.length;
        float[] cosines = new float[n];
        Source[] sources = new Source[n];
        float[][] vectors = keepVectors ? new float[n][] : null;
        List<LeafReaderContext> leaves = reader.leaves();
        Map<Integer, Long> foreign = Map.of();
        if (vectorField != null) {
            foreign = readStored(leaves, docs, vectorField, model.fingerprint(), query, cosines, sources, vectors);
        }
        int budget = maxOnTheFly;
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (sources[i] == null) {
                if (missing.size() < budget) {
                    missing.add(i);
                } else {
                    sources[i] = Source.OVER_BUDGET;
                    counters.overBudget.increment();
                }
            }
        }
        if (missing.isEmpty() == false) {
            onTheFly(reader, leaves, docs, missing, fields, model, query, cosines, sources, vectors, inference);
        }
        return new Window(cosines, sources, budget, foreign, vectors);
    }

    /** Reads the stored vectors of {@code model}; returns the hits whose stored vector another model made (left unset). */
    private Map<Integer, Long> readStored(
            List<LeafReaderContext> leaves,
            int[] docs,
            String field,
            long model,
            float[] query,
            float[] cosines,
            Source[] sources,
            float[][] vectors)
            throws IOException {
        Map<Integer, Long> foreign = null;
        int currentLeaf = -1;
        LeafReaderContext leaf = null;
        BinaryDocValues values = null;
        for (int i : WindowReader.byDocId(docs)) {
            int l = ReaderUtil.subIndex(docs[i], leaves);
            if (l != currentLeaf) {
                leaf = leaves.get(l);
                values = DocValues.getBinary(leaf.reader(), field);
                currentLeaf = l;
            }
            if (values.advanceExact(docs[i] - leaf.docBase)) {
                BytesRef bytes = values.binaryValue();
                long madeBy = VectorCodec.model(bytes);
                if (madeBy != model) {
                    if (foreign == null) {
                        foreign = new HashMap<>();
                    }
                    foreign.put(i, madeBy);
                    counters.modelMismatch.increment();
                    continue; // never compared with a query vector of another model: embedded on the fly instead
                }
                try {
                    cosines[i] = VectorCodec.cosine(bytes, query);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            String.format(
                                    Locale.ROOT,
                                    "field [%s]: %s; re-index the documents or change the vector field",
                                    field,
                                    e.getMessage()),
                            e);
                }
                sources[i] = Source.STORED;
                counters.stored.increment();
                if (vectors != null) {
                    vectors[i] = VectorCodec.decode(bytes, query.length);
                }
            }
        }
        return foreign == null ? Map.of() : foreign;
    }

    private void onTheFly(
            IndexReader reader,
            List<LeafReaderContext> leaves,
            int[] docs,
            List<Integer> missing,
            List<String> fields,
            Embeddings model,
            float[] query,
            float[] cosines,
            Source[] sources,
            float[][] vectors,
            InferenceBudget budget)
            throws IOException {
        String variant = model.modelId() + '\u0000' + String.join("\u0001", fields);
        List<DocumentEmbeddingCache.Key> keys = new ArrayList<>();
        List<Integer> keyed = new ArrayList<>();
        List<Integer> uncached = new ArrayList<>();
        Map<DocumentEmbeddingCache.Key, Integer> docOf = new HashMap<>();
        for (int i : missing) {
            Object segment = cache == null ? null : segmentKey(leaves, docs[i]);
            if (segment == null) {
                uncached.add(i);
                continue;
            }
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
            DocumentEmbeddingCache.Key key = new DocumentEmbeddingCache.Key(segment, docs[i] - leaf.docBase, variant);
            keys.add(key);
            keyed.add(i);
            docOf.put(key, docs[i]);
        }
        if (keys.isEmpty() == false) {
            float[][] got = cache.getAll(keys, batch -> {
                int[] batchDocs = new int[batch.size()];
                for (int b = 0; b < batchDocs.length; b++) {
                    batchDocs[b] = docOf.get(batch.get(b));
                }
                return embed(reader, batchDocs, fields, model, budget);
            });
            for (int k = 0; k < got.length; k++) {
                assign(keyed.get(k), got[k], query, cosines, sources, vectors);
            }
        }
        if (uncached.isEmpty() == false) {
            int[] batchDocs = new int[uncached.size()];
            for (int b = 0; b < batchDocs.length; b++) {
                batchDocs[b] = docs[uncached.get(b)];
            }
            float[][] got = embed(reader, batchDocs, fields, model, budget);
            for (int b = 0; b < got.length; b++) {
                assign(uncached.get(b), got[b], query, cosines, sources, vectors);
            }
        }
    }

    private void assign(int i, float[] vector, float[] query, float[] cosines, Source[] sources, float[][] vectors) {
        if (vector.length == 0) {
            sources[i] = Source.NO_TEXT;
            counters.noText.increment();
        } else {
            cosines[i] = VectorMath.dotFloat(query, vector); // what VectorCodec.cosine gives a stored float32 vector
            if (vectors != null) {
                vectors[i] = vector;
            }
            sources[i] = Source.ON_THE_FLY;
            counters.onTheFly.increment();
        }
    }

    /** Unit vectors of the documents' texts; a document without text gets an empty array. */
    private float[][] embed(
            IndexReader reader, int[] docs, List<String> fields, Embeddings model, InferenceBudget budget) {
        String[] texts;
        try {
            texts = WindowReader.texts(reader, docs, fields);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> batch = new ArrayList<>(docs.length);
        List<Integer> at = new ArrayList<>(docs.length);
        for (int i = 0; i < texts.length; i++) {
            if (texts[i].isEmpty() == false) {
                batch.add(texts[i]);
                at.add(i);
            }
        }
        float[][] out = new float[docs.length][];
        Arrays.fill(out, NO_TEXT);
        if (batch.isEmpty() == false) {
            float[][] vectors = budget.await(model.embedDocumentsAsync(batch, budget.calls()));
            for (int b = 0; b < vectors.length; b++) {
                // the same scaling the codec applies to stored vectors, so both paths give identical cosines
                out[at.get(b)] = VectorMath.l2Normalize(vectors[b]);
            }
            counters.embedded.add(vectors.length);
        }
        return out;
    }

    /** Lucene's core key of the hit's segment, registering cache eviction for when the segment closes; null if none. */
    private Object segmentKey(List<LeafReaderContext> leaves, int doc) {
        IndexReader.CacheHelper helper =
                leaves.get(ReaderUtil.subIndex(doc, leaves)).reader().getCoreCacheHelper();
        if (helper == null) {
            return null;
        }
        IndexReader.CacheKey key = helper.getKey();
        if (cache.track(key)) {
            helper.addClosedListener(cache::segmentClosed);
        }
        return key;
    }
}
