package org.fairrescore.rescore;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword values windows read (the shop, protected and group fields), by segment and ordinal, kept across searches.
 * Turning an ordinal into its value ({@code lookupOrd}: a seek and a block decompression in the segment's terms
 * dictionary, then UTF-8 decoding) was nearly all that reading a window's shops cost: 57 µs per 100-hit window on a
 * 50,000-document index of 5,300 shops, paid by every quota and exposure search on every shard. A segment's ordinals
 * never change, so each segment keeps a table from ordinal to value per field, filled as windows meet the ordinals and
 * dropped when the segment closes.
 *
 * <p>Bounded: a field of a segment with more than {@link #MAX_SEGMENT_VALUES} distinct values is read directly (each
 * distinct value once per window), and the tables together hold at most {@code maxSlots} ordinals (the least recently
 * used segment's tables go first). A slot is a reference; the values in it are the field's own strings, only those
 * windows met. Tables are found under a lock and filled without one: a slot is null or a whole string.
 */
final class SegmentKeywords {

    /** Distinct values above which a segment's field is not cached. */
    static final int MAX_SEGMENT_VALUES = 1 << 18;

    /** The default bound on the ordinals held: 8 MB of references. */
    static final long DEFAULT_MAX_SLOTS = 1L << 20;

    private final long maxSlots;
    /** Per segment core (access order: least recently used first), per field, values by ordinal. */
    private final LinkedHashMap<Object, Map<String, String[]>> segments = new LinkedHashMap<>(16, 0.75f, true);

    private long slots;
    /** One listener for every segment (a core's listeners are a set: a segment cached again adds none). */
    private final IndexReader.ClosedListener onClose = this::closed;

    SegmentKeywords(long maxSlots) {
        if (maxSlots < 0) {
            throw new IllegalArgumentException("maxSlots must be >= 0, got " + maxSlots);
        }
        this.maxSlots = maxSlots;
    }

    /**
     * The value of a keyword field for each window hit, from its doc values (the first value when several), or null
     * when the document has none.
     */
    String[] read(IndexReader reader, int[] docs, String field) throws IOException {
        String[] values = new String[docs.length];
        List<LeafReaderContext> leaves = reader.leaves();
        int currentLeaf = -1;
        SortedSetDocValues docValues = null;
        String[] byOrd = null;
        Map<Long, String> uncached = null;
        for (int i : WindowReader.byDocId(docs)) {
            int leaf = ReaderUtil.subIndex(docs[i], leaves);
            LeafReaderContext context = leaves.get(leaf);
            if (leaf != currentLeaf) {
                currentLeaf = leaf;
                docValues = DocValues.getSortedSet(context.reader(), field);
                byOrd = table(context.reader(), field, docValues.getValueCount());
                uncached = byOrd == null ? new HashMap<>() : null;
            }
            if (docValues.advanceExact(docs[i] - context.docBase) == false || docValues.docValueCount() == 0) {
                continue;
            }
            long ord = docValues.nextOrd();
            String value = byOrd != null ? byOrd[(int) ord] : uncached.get(ord);
            if (value == null) {
                value = docValues.lookupOrd(ord).utf8ToString();
                if (byOrd != null) {
                    byOrd[(int) ord] = value;
                } else {
                    uncached.put(ord, value);
                }
            }
            values[i] = value;
        }
        return values;
    }

    /** Segments with a table. */
    synchronized int segments() {
        return segments.size();
    }

    /** Ordinals the tables hold. */
    synchronized long slots() {
        return slots;
    }

    /** The table of {@code field} in {@code segment}, created if there is room; null when it is not cached. */
    private String[] table(LeafReader segment, String field, long valueCount) {
        LeafReader.CacheHelper helper = segment.getCoreCacheHelper();
        if (helper == null || valueCount == 0 || valueCount > MAX_SEGMENT_VALUES || valueCount > maxSlots) {
            return null;
        }
        Object core = helper.getKey();
        synchronized (this) {
            Map<String, String[]> fields = segments.get(core);
            String[] table = fields == null ? null : fields.get(field);
            if (table != null && table.length == valueCount) {
                return table;
            }
            if (fields == null) {
                fields = new HashMap<>();
                segments.put(core, fields);
                helper.addClosedListener(onClose);
            }
            if (table != null) {
                slots -= table.length; // cannot happen for one segment core; kept exact if it does
            }
            table = new String[(int) valueCount];
            fields.put(field, table);
            slots += valueCount;
            evictOverBound(core);
            return table;
        }
    }

    /** Drops least recently used segments (never {@code keep}, the one just used) until the bound holds. */
    private void evictOverBound(Object keep) {
        Iterator<Map.Entry<Object, Map<String, String[]>>> it =
                segments.entrySet().iterator();
        while (slots > maxSlots && it.hasNext()) {
            Map.Entry<Object, Map<String, String[]>> e = it.next();
            if (e.getKey() == keep) {
                continue;
            }
            slots -= size(e.getValue());
            it.remove();
        }
    }

    private synchronized void closed(IndexReader.CacheKey core) {
        Map<String, String[]> fields = segments.remove(core);
        if (fields != null) {
            slots -= size(fields);
        }
    }

    private static long size(Map<String, String[]> fields) {
        long n = 0;
        for (String[] table : fields.values()) {
            n += table.length;
        }
        return n;
    }
}
