package org.fairrescore.vectors;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.common.bytes.BytesReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the fetch phase does to each returned hit of a search that filters {@code _source} (OpenSearch's
 * {@code SourceLookup.filter}: the whole source parsed into a map, then filtered), for a product document whose vector
 * field holds what the {@code fair_rescore_embed} processor writes: {@code vector} as base64 (now) or as an array of
 * 384 numbers (before). Run: {@code integration-test/jmh.sh --bench SourceFilter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SourceFilterBenchmark {

    @Param({"base64", "array"})
    public String vectorForm;

    private BytesReference source;
    private final String[] excludes = {"title_vector"};

    @Setup
    public void setUp() throws Exception {
        Random random = new Random(42);
        float[] vector = new float[384];
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        Map<String, Object> value =
                EmbedProcessor.value(vector, "bge-small-en-v15-q", "0123456789abcdef0123456789abcdef");
        if (vectorForm.equals("array")) {
            List<Float> numbers = new ArrayList<>();
            for (float v : vector) {
                numbers.add(v);
            }
            value.put(VectorFieldMapper.VECTOR_KEY, numbers);
        }
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("title", "Trail running shoes, lightweight, breathable mesh, men's size 10");
        doc.put("description", "A responsive foam midsole and a grippy outsole for rocky trails.");
        doc.put("shop", "shop-0042");
        doc.put("price", 89.5);
        doc.put("title_vector", value);
        try (var builder = org.opensearch.common.xcontent.json.JsonXContent.contentBuilder()) {
            builder.map(doc);
            source = new BytesArray(BytesReference.toBytes(BytesReference.bytes(builder)));
        }
    }

    @Benchmark
    public Map<String, Object> filterOneHit() {
        Map<String, Object> map =
                XContentHelper.convertToMap(source, true, XContentType.JSON).v2();
        return XContentMapValues.filter(map, new String[0], excludes);
    }
}
