package org.fairrescore.rescore;

import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;
import org.fairrescore.vectors.DocumentText;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.fieldvisitor.FieldsVisitor;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what the rescorer needs of the window's documents, visiting them in doc-id order. */
final class WindowReader {

    private WindowReader() {}

    /** Window positions sorted by doc id, so segments and doc values are read forwards. */
    static int[] byDocId(int[] docs) {
        // doc id in the high half, position in the low half: one primitive sort, ties (a doc twice) by position
        long[] keyed = new long[docs.length];
        for (int i = 0; i < docs.length; i++) {
            keyed[i] = ((long) docs[i] << 32) | i;
        }
        Arrays.sort(keyed);
        int[] order = new int[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keyed[i];
        }
        return order;
    }

    /**
     * The value of a keyword field (a shop, a protected mark) for each window hit, from its doc values (the first
     * value when several), or null when the document has none. Each distinct value of a segment is looked up in its
     * terms dictionary once (a window holds a few hits of the same shops; the lookup was most of the quota's cost).
     */
    static String[] keywords(IndexReader reader, int[] docs, String field) throws IOException {
        String[] shops = new String[docs.length];
        List<LeafReaderContext> leaves = reader.leaves();
        int currentLeaf = -1;
        SortedSetDocValues values = null;
        Map<Long, String> byOrd = new HashMap<>();
        for (int i : byDocId(docs)) {
            int leaf = ReaderUtil.subIndex(docs[i], leaves);
            LeafReaderContext context = leaves.get(leaf);
            if (leaf != currentLeaf) {
                values = DocValues.getSortedSet(context.reader(), field);
                currentLeaf = leaf;
                byOrd.clear(); // ordinals are per segment
            }
            if (values.advanceExact(docs[i] - context.docBase) && values.docValueCount() > 0) {
                long ord = values.nextOrd();
                String shop = byOrd.get(ord);
                if (shop == null) {
                    BytesRef term = values.lookupOrd(ord);
                    shop = term.utf8ToString();
                    byOrd.put(ord, shop);
                }
                shops[i] = shop;
            }
        }
        return shops;
    }

    /**
     * The text to embed for each window hit: the values of {@code fields} in its {@code _source}, joined with ". ";
     * empty when the document has none of them. The source may be JSON, SMILE, CBOR or YAML.
     */
    static String[] texts(IndexReader reader, int[] docs, List<String> fields) throws IOException {
        String[] texts = new String[docs.length];
        StoredFields stored = reader.storedFields();
        for (int i : byDocId(docs)) {
            FieldsVisitor visitor = new FieldsVisitor(true);
            stored.document(docs[i], visitor);
            BytesReference source = visitor.source();
            if (source == null) {
                texts[i] = "";
                continue;
            }
            Map<String, Object> map = XContentHelper.convertToMap(source, false).v2();
            texts[i] = DocumentText.of(map, fields);
        }
        return texts;
    }
}
