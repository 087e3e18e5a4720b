package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.List;
import java.util.function.IntPredicate;

/** Lucene-level rescorer tests over a small in-memory index whose documents carry a {@code _source}. */
abstract class InMemoryIndexTestCase extends OpenSearchTestCase {

    protected Directory directory;
    protected DirectoryReader reader;
    protected IndexSearcher searcher;

    /** Indexes {@code docs} in order, committing (a new segment) after each document {@code commitAfter} accepts. */
    protected void open(List<Document> docs, IntPredicate commitAfter) throws IOException {
        directory = newDirectory();
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            for (int d = 0; d < docs.size(); d++) {
                writer.addDocument(docs.get(d));
                if (commitAfter.test(d)) {
                    writer.commit();
                }
            }
        }
        reader = DirectoryReader.open(directory);
        searcher = new IndexSearcher(reader);
    }

    /** A {@code _source} of field/value pairs (null values left out), in a random x-content type. */
    protected static StoredField source(String... fieldsAndValues) throws IOException {
        XContentBuilder source = randomFrom(XContentType.JSON, XContentType.SMILE, XContentType.CBOR)
                .contentBuilder()
                .startObject();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            if (fieldsAndValues[i + 1] != null) {
                source.field(fieldsAndValues[i], fieldsAndValues[i + 1]);
            }
        }
        source.endObject();
        return new StoredField("_source", BytesReference.toBytes(BytesReference.bytes(source)));
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
}
