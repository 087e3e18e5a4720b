package org.fairrescore.rescore;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Reading the shop of each hit of a 100-hit window ({@link SegmentKeywords#read}), as every quota and exposure search
 * does on every shard: 50,000 documents in 5 segments, 5,300 shops drawn Zipf-like (a few large shops, a long tail),
 * windows of random documents. {@code cached}: the node's tables from ordinal to value, kept across searches;
 * {@code direct}: each distinct ordinal of a window looked up in the terms dictionary (what every search did before,
 * and what a segment too large to cache still does). Run: {@code integration-test/jmh.sh --bench WindowKeywords}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WindowKeywordsBenchmark {

    @Param({"cached", "direct"})
    public String tables;

    private DirectoryReader reader;
    private SegmentKeywords keywords;
    private int[][] windows;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Random random = new Random(42);
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig())) {
            for (int i = 0; i < 50_000; i++) {
                Document doc = new Document();
                int shop = (int) Math.floor(5300 * Math.pow(random.nextDouble(), 2));
                doc.add(new SortedSetDocValuesField("shop", new BytesRef("shop-" + shop)));
                writer.addDocument(doc);
                if (i % 10_000 == 9_999) {
                    writer.commit();
                }
            }
        }
        reader = DirectoryReader.open(dir);
        keywords = new SegmentKeywords(tables.equals("cached") ? SegmentKeywords.DEFAULT_MAX_SLOTS : 0);
        windows = new int[1024][100];
        for (int[] window : windows) {
            for (int i = 0; i < window.length; i++) {
                window[i] = random.nextInt(reader.maxDoc());
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
    }

    @Benchmark
    public String[] shopsOfAWindow() throws IOException {
        int[] window = windows[next++ & (windows.length - 1)];
        return keywords.read(reader, window, "shop");
    }
}
