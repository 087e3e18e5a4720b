package org.fairrescore.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import org.apache.logging.log4j.LogManager;
import org.fairrescore.tokenizer.Encoding;
import org.fairrescore.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link TextEmbedder} over one ONNX Runtime session: {@link WordPieceTokenizer} ids, batches padded to their longest
 * input, {@code last_hidden_state} pooled as the manifest says and L2-normalized when it asks.
 *
 * <p>The session is created once per model, with {@code intraOpThreads} threads for one inference, one inter-op thread
 * and sequential execution. ONNX Runtime sessions accept concurrent {@code run} calls, so {@link #embed(List)} takes no
 * lock other than a read lock that keeps {@link #close()} from freeing the session under a running call.
 *
 * <p>Texts go to the network {@code maxBatch} at a time (default {@link #DEFAULT_MAX_BATCH} = 1), each batch padded to
 * its longest input. With int8 models a batch shares its quantization scales, so batched vectors drift from solo
 * ones; batches larger than one trade that reproducibility for a modest CPU throughput gain.
 *
 * <p>Seen on Linux with ONNX Runtime 1.29: the JVM dies with SIGSEGV while the native library initialises when the
 * process command line ({@code /proc/self/cmdline}) is longer than about 3,970 bytes, e.g. a {@code java -cp} listing
 * a hundred jars. Pass long class paths through an {@code @argfile} or {@code CLASSPATH} instead.
 */
public final class OnnxEmbedder implements TextEmbedder {

    /**
     * Inputs per inference call by default: one. The bundled models are dynamically quantized (int8), and ONNX
     * Runtime picks each activation's quantization scale over the whole batch tensor, padding included, so a text's
     * vector would depend on which other texts share its batch (cosine to its solo vector 0.96..0.99 in tests).
     * One text per call keeps every vector reproducible; batching gains little on CPU (see the class notes).
     */
    public static final int DEFAULT_MAX_BATCH = 1;

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String OUTPUT = "last_hidden_state";

    private final ModelManifest manifest;
    private final WordPieceTokenizer tokenizer;
    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final boolean feedTokenTypes;
    private final String outputName;
    private final int maxBatch;
    private final InferenceDevice device;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;
    private volatile BatchListener batchListener = BatchListener.NONE;

    /** Told about every inference call (one session run over a batch); must be cheap and must not throw. */
    @FunctionalInterface
    public interface BatchListener {
        BatchListener NONE = (batch, nanos, succeeded) -> {};

        void onBatch(List<Encoding> batch, long nanos, boolean succeeded);
    }

    /** Reports every later inference call to {@code listener} (the node's stats). */
    public void batchListener(BatchListener listener) {
        this.batchListener = java.util.Objects.requireNonNull(listener);
    }

    private OnnxEmbedder(
            ModelManifest manifest,
            WordPieceTokenizer tokenizer,
            OrtEnvironment env,
            OrtSession.SessionOptions options,
            OrtSession session,
            boolean feedTokenTypes,
            String outputName,
            int maxBatch,
            InferenceDevice device) {
        this.manifest = manifest;
        this.tokenizer = tokenizer;
        this.env = env;
        this.options = options;
        this.session = session;
        this.feedTokenTypes = feedTokenTypes;
        this.outputName = outputName;
        this.maxBatch = maxBatch;
        this.device = device;
    }

    /** {@link #load(BundledModel, int, int)} with {@link #DEFAULT_MAX_BATCH}. */
    public static OnnxEmbedder load(BundledModel model, int intraOpThreads) throws IOException {
        return load(model, intraOpThreads, DEFAULT_MAX_BATCH);
    }

    /**
     * Verifies the model's files (SHA-256), loads the tokenizer and creates the session.
     *
     * @param intraOpThreads threads ONNX Runtime may use for one inference (1 is best under concurrent searches)
     * @param maxBatch texts per inference call; longer lists are split
     * @throws IOException if a file is missing or corrupt, or ONNX Runtime cannot load the model
     */
    public static OnnxEmbedder load(BundledModel model, int intraOpThreads, int maxBatch) throws IOException {
        return load(model, intraOpThreads, maxBatch, InferenceDevice.Request.CPU_ONLY);
    }

    /**
     * As {@link #load(BundledModel, int, int)}, on the requested device.
     *
     * @throws IllegalStateException if the device is CUDA, no GPU is usable and the request allows no CPU fallback
     */
    public static OnnxEmbedder load(
            BundledModel model, int intraOpThreads, int maxBatch, InferenceDevice.Request deviceRequest)
            throws IOException {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        ModelManifest manifest = model.manifest();
        byte[] onnx = model.readVerifiedOnnx();
        WordPieceTokenizer tokenizer = model.loadTokenizer();
        OrtEnvironment env;
        try {
            env = OrtEnvironment.getEnvironment();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException(
                    "model [" + manifest.id() + "]: the ONNX Runtime native library could not be loaded (" + e
                            + "); another plugin may already have loaded its own copy of ONNX Runtime in this JVM",
                    e);
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            // Extended fusions of ONNX Runtime 1.29 change int8 numerics (cosine down to 0.996 against the graph as
            // written); basic optimizations keep the graph's results and cost no measurable speed on these models.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            InferenceDevice.Choice device = InferenceDevice.configure(
                    options, deviceRequest, OrtEnvironment.getAvailableProviders(), manifest.id());
            if (device.note() != null) {
                LogManager.getLogger(OnnxEmbedder.class).warn(device.note());
            }
            session = env.createSession(onnx, options);
            Set<String> inputs = session.getInputNames();
            for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
                if (!inputs.contains(required)) {
                    throw new IOException("model [" + manifest.id() + "]: " + model.onnxFile() + " has no input ["
                            + required + "], inputs are " + inputs);
                }
            }
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            String outputName = outputs.containsKey(OUTPUT)
                    ? OUTPUT
                    : outputs.keySet().iterator().next();
            if (outputs.get(outputName).getInfo() instanceof TensorInfo info) {
                long[] shape = info.getShape();
                if (shape.length != 3) {
                    throw new IOException("model [" + manifest.id() + "]: output [" + outputName + "] has shape "
                            + Arrays.toString(shape) + ", expected [batch, tokens, hidden]");
                }
                if (shape[2] > 0 && shape[2] != manifest.dims()) {
                    throw new IOException("model [" + manifest.id() + "]: output [" + outputName + "] has " + shape[2]
                            + " dims, manifest says " + manifest.dims());
                }
            }
            return new OnnxEmbedder(
                    manifest,
                    tokenizer,
                    env,
                    options,
                    session,
                    inputs.contains(TOKEN_TYPE_IDS),
                    outputName,
                    maxBatch,
                    device.device());
        } catch (OrtException e) {
            closeQuietly(session);
            options.close();
            throw new IOException(
                    "model [" + manifest.id() + "]: ONNX Runtime could not load " + model.onnxFile() + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            options.close();
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing; the original exception is more useful
            }
        }
    }

    @Override
    public String modelId() {
        return manifest.id();
    }

    @Override
    public int dims() {
        return manifest.dims();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    /** The token limit inputs are truncated to ({@code max_tokens} of the manifest). */
    public int maxTokens() {
        return manifest.maxTokens();
    }

    /** The device the session runs on. */
    public InferenceDevice device() {
        return device;
    }

    /** Texts per inference call of {@link #embed(List)}. */
    public int maxBatch() {
        return maxBatch;
    }

    /** Runs one inference so that the first real call does not pay for lazy initialisation. */
    public void warmUp() {
        embed(TextRole.QUERY, List.of("warm up the embedding model", "ok"), maxBatch, null);
    }

    /**
     * Embeds texts exactly as given, with no role prefix (the reference tests compare these with other
     * implementations); searches and ingest embed through {@link #embed(TextRole, List, int, InferenceCancellation)}.
     */
    @Override
    public float[][] embed(List<String> texts) {
        return embedEncodings(encode(null, texts), maxBatch, null);
    }

    /** The tokenizer's encoding of each text in {@code role} (prefix applied), truncated to the model's token limit. */
    public List<Encoding> encode(TextRole role, List<String> texts) {
        List<Encoding> encodings = new ArrayList<>(texts.size());
        for (String text : texts) {
            encodings.add(tokenizer.encode(role == null ? text : role.apply(manifest, text), manifest.maxTokens()));
        }
        return encodings;
    }

    /** The vector of one query text (the manifest's query prefix applied). */
    public float[] embedQuery(String text) {
        return embedEncodings(encode(TextRole.QUERY, List.of(text)), 1, null)[0];
    }

    /**
     * Embeds texts in {@code role}, {@code batch} per inference call (see the class notes on what batches larger than
     * one do to int8 vectors), under {@code calls} when not null: once it is cancelled no further inference call
     * starts and a running one terminates.
     *
     * @throws InferenceInterruptedException if {@code calls} is cancelled before all texts are embedded
     */
    public float[][] embed(TextRole role, List<String> texts, int batch, InferenceCancellation calls) {
        if (calls != null) {
            calls.throwIfCancelled();
        }
        return embedEncodings(encode(role, texts), batch, calls);
    }

    /** Embeds already tokenized inputs (from {@link #encode}), {@link #maxBatch()} per inference call. */
    public float[][] embedEncodings(List<Encoding> encodings) {
        return embedEncodings(encodings, maxBatch, null);
    }

    private float[][] embedEncodings(List<Encoding> encodings, int batch, InferenceCancellation calls) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        float[][] result = new float[encodings.size()][];
        ReentrantReadWriteLock.ReadLock lock = lifecycle.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("embedder for model [" + manifest.id() + "] is closed");
            }
            for (int from = 0; from < encodings.size(); from += batch) {
                int to = Math.min(encodings.size(), from + batch);
                run(encodings.subList(from, to), result, from, calls);
            }
        } finally {
            lock.unlock();
        }
        return result;
    }

    private void run(List<Encoding> batch, float[][] result, int offset, InferenceCancellation calls) {
        if (calls != null) {
            calls.throwIfCancelled();
        }
        int b = batch.size();
        int seq = 0;
        for (Encoding e : batch) {
            seq = Math.max(seq, e.length());
        }
        long[] ids = new long[b * seq];
        long[] mask = new long[b * seq];
        long pad = tokenizer.padId();
        for (int i = 0; i < b; i++) {
            int[] tokenIds = batch.get(i).ids();
            int row = i * seq;
            for (int t = 0; t < seq; t++) {
                if (t < tokenIds.length) {
                    ids[row + t] = tokenIds[t];
                    mask[row + t] = 1;
                } else {
                    ids[row + t] = pad;
                }
            }
        }
        long[] shape = {b, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        long start = System.nanoTime();
        boolean succeeded = false;
        OrtSession.RunOptions runOptions = null;
        try {
            if (calls != null) {
                runOptions = new OrtSession.RunOptions();
                if (calls.register(runOptions) == false) {
                    throw calls.interrupted();
                }
            }
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (feedTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * seq]), shape));
            }
            try (OrtSession.Result out = runOptions == null
                    ? session.run(inputs, Set.of(outputName))
                    : session.run(inputs, Set.of(outputName), runOptions)) {
                OnnxTensor hidden = (OnnxTensor) out.get(0);
                long[] outShape = hidden.getInfo().getShape();
                int dims = manifest.dims();
                if (outShape.length != 3 || outShape[0] != b || outShape[1] != seq || outShape[2] != dims) {
                    throw new EmbeddingException("model [" + manifest.id() + "]: output shape "
                            + Arrays.toString(outShape) + ", expected [" + b + ", " + seq + ", " + dims + "]");
                }
                pool(hidden.getFloatBuffer(), batch, seq, dims, result, offset);
                succeeded = true;
            }
        } catch (OrtException e) {
            if (calls != null && calls.isCancelled()) {
                throw calls.interrupted(); // terminated on purpose (RunOptions.setTerminate)
            }
            throw new EmbeddingException("model [" + manifest.id() + "]: inference failed: " + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : inputs.values()) {
                t.close();
            }
            if (runOptions != null) {
                calls.unregister(runOptions);
                runOptions.close();
            }
            batchListener.onBatch(batch, System.nanoTime() - start, succeeded);
        }
    }

    private void pool(FloatBuffer hidden, List<Encoding> batch, int seq, int dims, float[][] result, int offset) {
        double[] acc = new double[dims];
        for (int i = 0; i < batch.size(); i++) {
            float[] v = new float[dims];
            int base = i * seq * dims;
            if (manifest.pooling() == Pooling.CLS) {
                hidden.get(base, v, 0, dims);
            } else {
                int tokens = batch.get(i).length();
                Arrays.fill(acc, 0);
                for (int t = 0; t < tokens; t++) {
                    int at = base + t * dims;
                    for (int h = 0; h < dims; h++) {
                        acc[h] += hidden.get(at + h);
                    }
                }
                for (int h = 0; h < dims; h++) {
                    v[h] = (float) (acc[h] / tokens);
                }
            }
            if (manifest.normalize()) {
                VectorMath.l2Normalize(v);
            }
            result[offset + i] = v;
        }
    }

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new EmbeddingException(
                        "model [" + manifest.id() + "]: closing the session failed: " + e.getMessage(), e);
            } finally {
                options.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
