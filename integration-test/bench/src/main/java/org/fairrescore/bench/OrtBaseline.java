package org.fairrescore.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.fairrescore.model.BundledModel;
import org.fairrescore.model.OnnxEmbedder;
import org.fairrescore.model.TextRole;
import org.fairrescore.model.VectorMath;
import org.fairrescore.tokenizer.Encoding;
import org.fairrescore.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bare ONNX Runtime, as the yardstick: one session with the plugin's options (intra-op threads, one inter-op
 * thread, sequential, basic optimizations), fed already tokenized ids, nothing but tensor creation and
 * {@code session.run}. Beside it, the plugin's own embedding path ({@link OnnxEmbedder}: tokenizer, tensors, run,
 * pooling, normalization) on the same texts.
 */
final class OrtBaseline implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    private final WordPieceTokenizer tokenizer;
    private final int maxTokens;
    private final boolean tokenTypes;

    OrtBaseline(BundledModel model, int threads) throws IOException, OrtException {
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
        session = env.createSession(Files.readAllBytes(model.onnxFile()), options);
        tokenizer = model.loadTokenizer();
        maxTokens = model.manifest().maxTokens();
        tokenTypes = session.getInputNames().contains("token_type_ids");
    }

    List<Encoding> tokenize(List<String> texts) {
        List<Encoding> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(tokenizer.encode(t, maxTokens));
        }
        return out;
    }

    /**
     * Seconds of bare session runs over pre-tokenized inputs, grouped as the processor groups them: {@code group}
     * inputs per step, sorted by length within a step when {@code batch} is above one, {@code batch} per run.
     */
    double seconds(List<Encoding> encodings, int batch, int group) throws OrtException {
        double sink = 0;
        long t0 = System.nanoTime();
        for (List<Encoding> step : groups(encodings, batch, group)) {
            for (int from = 0; from < step.size(); from += batch) {
                sink += run(step.subList(from, Math.min(step.size(), from + batch)));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (sink == 42.4242) {
            System.out.print("");
        }
        return seconds;
    }

    static <T> List<List<T>> groups(List<T> items, int batch, int group) {
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < items.size(); from += group) {
            List<T> step = new ArrayList<>(items.subList(from, Math.min(items.size(), from + group)));
            out.add(step);
        }
        return out;
    }

    private double run(List<Encoding> batch) throws OrtException {
        int b = batch.size();
        int seq = 0;
        for (Encoding e : batch) {
            seq = Math.max(seq, e.length());
        }
        long[] ids = new long[b * seq];
        long[] mask = new long[b * seq];
        long pad = tokenizer.padId();
        for (int i = 0; i < b; i++) {
            int[] t = batch.get(i).ids();
            for (int j = 0; j < seq; j++) {
                ids[i * seq + j] = j < t.length ? t[j] : pad;
                mask[i * seq + j] = j < t.length ? 1 : 0;
            }
        }
        long[] shape = { b, seq };
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (tokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * seq]), shape));
            }
            try (OrtSession.Result out = session.run(inputs, Set.of("last_hidden_state"))) {
                FloatBuffer hidden = ((OnnxTensor) out.get(0)).getFloatBuffer();
                return hidden.get(0);
            }
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
        }
    }

    /** Seconds of the plugin's embedding path over texts, grouped and sorted as the processor does. */
    static double pluginSeconds(OnnxEmbedder embedder, List<String> texts, int batch, int group) {
        long t0 = System.nanoTime();
        int n = 0;
        for (List<String> step : groups(texts, batch, group)) {
            if (batch > 1) {
                step.sort(Comparator.comparingInt(String::length));
            }
            n += embedder.embed(TextRole.DOCUMENT, step, batch, null).length;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (n != texts.size()) {
            throw new IllegalStateException("embedder returned " + n + " vectors for " + texts.size() + " texts");
        }
        return seconds;
    }

    /** Mean and minimum cosine between the vectors of the same texts embedded one at a time and {@code batch} at a time. */
    static double[] batchDrift(OnnxEmbedder embedder, List<String> texts, int batch) {
        float[][] solo = embedder.embed(TextRole.DOCUMENT, texts, 1, null);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> texts.get(i).length())); // as the processor batches them
        List<String> sorted = new ArrayList<>();
        for (int i : order) {
            sorted.add(texts.get(i));
        }
        float[][] batched = embedder.embed(TextRole.DOCUMENT, sorted, batch, null);
        double sum = 0;
        double min = 1;
        for (int k = 0; k < order.size(); k++) {
            double c = VectorMath.cosine(solo[order.get(k)], batched[k]);
            sum += c;
            min = Math.min(min, c);
        }
        return new double[] { sum / texts.size(), min };
    }

    @Override
    public void close() throws OrtException {
        session.close();
        options.close();
    }
}
