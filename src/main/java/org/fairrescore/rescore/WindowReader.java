package org.fairrescore.rescore;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.StoredFields;
import org.fairrescore.vectors.DocumentText;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.fieldvisitor.FieldsVisitor;

import java.io.IOException;
import java.util.Arrays;
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
