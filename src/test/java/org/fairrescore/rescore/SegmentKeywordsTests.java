package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

public class SegmentKeywordsTests extends OpenSearchTestCase {

    /** Each document's values of the field (sorted: the first is what a window reads), in doc-id order. */
    private final List<TreeSet<String>> values = new ArrayList<>();

    private Directory index(int segments, int docsPerSegment, int distinct) throws IOException {
        Directory dir = newDirectory();
        IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
        try (IndexWriter writer = new IndexWriter(dir, config)) {
            for (int s = 0; s < segments; s++) {
                for (int d = 0; d < docsPerSegment; d++) {
                    Document doc = new Document();
                    TreeSet<String> shops = new TreeSet<>();
                    int count = rarely() ? 0 : frequently() ? 1 : 2;
                    for (int v = 0; v < count; v++) {
                        shops.add("shop-" + randomIntBetween(0, distinct - 1) + (randomBoolean() ? "" : "-é"));
                    }
                    for (String shop : shops) {
                        doc.add(new SortedSetDocValuesField("shop", new BytesRef(shop)));
                    }
                    writer.addDocument(doc);
                    values.add(shops);
                }
                writer.commit(); // one segment each
            }
        }
        return dir;
    }

    private int[] window(int maxDoc) {
        int[] docs = new int[randomIntBetween(1, 120)];
        for (int i = 0; i < docs.length; i++) {
            docs[i] = randomIntBetween(0, maxDoc - 1); // a doc may come twice
        }
        return docs;
    }

    private String[] expected(int[] docs) {
        String[] out = new String[docs.length];
        for (int i = 0; i < docs.length; i++) {
            TreeSet<String> v = values.get(docs[i]);
            out[i] = v.isEmpty() ? null : v.first();
        }
        return out;
    }

    public void testReadsEachHitsFirstValueCachedOrNot() throws IOException {
        try (Directory dir = index(randomIntBetween(1, 5), randomIntBetween(20, 200), randomIntBetween(1, 60));
                DirectoryReader reader = DirectoryReader.open(dir)) {
            SegmentKeywords cached = new SegmentKeywords(SegmentKeywords.DEFAULT_MAX_SLOTS);
            SegmentKeywords uncached = new SegmentKeywords(0);
            for (int round = 0; round < 50; round++) {
                int[] docs = window(reader.maxDoc());
                assertArrayEquals(expected(docs), cached.read(reader, docs, "shop"));
                assertArrayEquals(expected(docs), uncached.read(reader, docs, "shop"));
            }
            assertEquals(reader.leaves().size(), cached.segments());
            assertEquals(0, uncached.segments());
            assertArrayEquals(new String[3], cached.read(reader, new int[] {0, 1, 2}, "no_such_field"));
        }
    }

    public void testTablesStayWithinTheBoundAndLeaveWithTheirSegments() throws IOException {
        Directory dir = index(4, 100, 40);
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            long oneSegment = 0;
            for (var leaf : reader.leaves()) {
                oneSegment = Math.max(
                        oneSegment, leaf.reader().getSortedSetDocValues("shop").getValueCount());
            }
            SegmentKeywords keywords = new SegmentKeywords(oneSegment + 1); // room for one segment's table
            for (int round = 0; round < 30; round++) {
                int[] docs = window(reader.maxDoc());
                assertArrayEquals(expected(docs), keywords.read(reader, docs, "shop"));
                assertTrue(keywords.slots() + " > " + (oneSegment + 1), keywords.slots() <= oneSegment + 1);
                assertEquals(1, keywords.segments());
            }
            SegmentKeywords roomy = new SegmentKeywords(SegmentKeywords.DEFAULT_MAX_SLOTS);
            roomy.read(reader, new int[] {0, 150, 250, 399}, "shop");
            assertEquals(4, roomy.segments());
            assertTrue(roomy.slots() > 0);
            reader.close(); // the segments close with their last reader: their tables go
            assertEquals(0, roomy.segments());
            assertEquals(0, roomy.slots());
            assertEquals(0, keywords.segments());
        } finally {
            dir.close();
        }
    }
}
