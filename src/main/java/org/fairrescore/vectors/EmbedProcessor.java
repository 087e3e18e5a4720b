package org.fairrescore.vectors;

import org.opensearch.common.xcontent.support.XContentMapValues;
import org.opensearch.ingest.AbstractBatchingProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.IngestDocumentWrapper;
import org.opensearch.ingest.Processor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@code fair_rescore_embed} ingest processor: embeds text fields of each document with the model of each target
 * {@code fair_rescore_vector} field (the model its mapping is bound to in the document's index) and writes the
 * vectors into those fields.
 *
 * <pre>
 * { "fair_rescore_embed": { "field_map": { "title": "title_vector" }, "batch_size": 64 } }
 * </pre>
 *
 * <ul>
 *   <li>{@code field_map} (required): text field → vector field. Several text fields may map to one vector field;
 *       their values are joined as {@link DocumentText} joins them, in {@code field_map} order, which must be the
 *       order of {@code index.fair_rescore.text_fields} for on-the-fly vectors to equal stored ones.</li>
 *   <li>{@code batch_size} (default 64): documents of a bulk request handled per step; a bulk request goes through
 *       OpenSearch's batch ingest path, so all its documents reach the processor together.</li>
 *   <li>{@code inference_batch} (default 1): texts per ONNX Runtime call. The bundled int8 models quantize each
 *       batch with shared scales, so vectors from batches of more than one text differ from the solo vector the
 *       rescorer computes on the fly (cosine ~0.99); 8 gives up to ~1.7x throughput on CPU. With 1, a stored vector
 *       is bit-for-bit the vector the rescorer would compute on the fly.</li>
 *   <li>{@code model} (optional): the model to embed with, for every vector field of the processor. Without it each
 *       vector field gets the model its mapping in the document's target index is bound to (the node's default model
 *       when the index or the field does not exist yet). A field bound to another model refuses the vector.</li>
 *   <li>{@code skip_unchanged} (default true): a document whose source already holds, in the vector field, a
 *       vector this processor made from the same text with the same model (compared by {@code text_hash}) is not
 *       embedded again. {@code _update}, {@code _update_by_query} and {@code _reindex} carry the previous vector in
 *       the source, so they re-embed only documents whose text changed.</li>
 * </ul>
 * A document that has none of a vector field's text fields is left without that vector (and loses a vector this
 * processor wrote earlier, which no longer matches its text); it never fails.
 */
public final class EmbedProcessor extends AbstractBatchingProcessor {

    public static final String TYPE = "fair_rescore_embed";
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final int MAX_INFERENCE_BATCH = 256;

    /** The embedding side the processor needs; the plugin wires the node's models behind it. */
    public interface DocumentEmbedder {
        /**
         * The model whose vectors {@code vectorField} of index {@code index} holds: the model its mapping is bound to,
         * or the node's default model when the index or the field is not mapped yet.
         */
        VectorModel model(String index, String vectorField);

        /** The model with this id, known to the node (loaded or not); an exception naming the known ids otherwise. */
        VectorModel model(String id);

        /**
         * Unit vectors of {@code texts} as documents of model {@code modelId} (its document prefix applied),
         * {@code inferenceBatch} per inference call.
         *
         * @throws RuntimeException naming the model and {@code fair_rescore.models} when this node does not load it
         */
        float[][] embed(String modelId, List<String> texts, int inferenceBatch);
    }

    /** What the processors of a node have done. */
    public static final class Counters {
        final LongAdder embedded = new LongAdder();
        final LongAdder unchanged = new LongAdder();
        final LongAdder noText = new LongAdder();
        final LongAdder failed = new LongAdder();

        /** Vectors computed. */
        public long embedded() {
            return embedded.sum();
        }

        /** Vectors kept because the text and model had not changed. */
        public long unchanged() {
            return unchanged.sum();
        }

        /** Vector fields left empty because the document had none of their text fields. */
        public long noText() {
            return noText.sum();
        }

        /** Documents failed because embedding failed. */
        public long failed() {
            return failed.sum();
        }
    }

    private final Supplier<DocumentEmbedder> embedder;
    private final Map<String, List<String>> targets;
    private final String model;
    private final int inferenceBatch;
    private final boolean skipUnchanged;
    private final Counters counters;

    EmbedProcessor(
            String tag,
            String description,
            int batchSize,
            Supplier<DocumentEmbedder> embedder,
            Map<String, List<String>> targets,
            String model,
            int inferenceBatch,
            boolean skipUnchanged,
            Counters counters) {
        super(tag, description, batchSize);
        this.embedder = embedder;
        this.targets = targets;
        this.model = model;
        this.inferenceBatch = inferenceBatch;
        this.skipUnchanged = skipUnchanged;
        this.counters = counters;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    /** Vector field → its text fields, in order. */
    public Map<String, List<String>> targets() {
        return targets;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The model named in the processor's definition, or null: each vector field's own model. */
    public String model() {
        return model;
    }

    public int inferenceBatch() {
        return inferenceBatch;
    }

    public boolean skipUnchanged() {
        return skipUnchanged;
    }

    @Override
    public IngestDocument execute(IngestDocument document) {
        embedAll(List.of(document));
        return document;
    }

    @Override
    protected void subBatchExecute(
            List<IngestDocumentWrapper> wrappers, Consumer<List<IngestDocumentWrapper>> handler) {
        List<IngestDocument> documents = new ArrayList<>(wrappers.size());
        List<IngestDocumentWrapper> live = new ArrayList<>(wrappers.size());
        for (IngestDocumentWrapper w : wrappers) {
            if (w.getException() == null && w.getIngestDocument() != null) {
                documents.add(w.getIngestDocument());
                live.add(w);
            }
        }
        try {
            embedAll(documents);
        } catch (Exception e) {
            // One failing inference call fails the batch; retry document by document so only the culprits fail.
            for (IngestDocumentWrapper w : live) {
                try {
                    embedAll(List.of(w.getIngestDocument()));
                } catch (Exception single) {
                    counters.failed.increment();
                    w.update(w.getIngestDocument(), single);
                }
            }
        }
        handler.accept(wrappers);
    }

    private record Pending(IngestDocument document, String vectorField, VectorModel model, String text, String hash) {}

    private void embedAll(List<IngestDocument> documents) {
        DocumentEmbedder e = embedder.get();
        if (e == null) {
            throw new IllegalStateException("[" + TYPE + "] the node's embedding models are not loaded yet");
        }
        VectorModel named = model == null ? null : e.model(model);
        List<Pending> pending = new ArrayList<>();
        for (IngestDocument document : documents) {
            Map<String, Object> source = document.getSourceAndMetadata();
            Object index = source.get(IngestDocument.Metadata.INDEX.getFieldName());
            for (Map.Entry<String, List<String>> target : targets.entrySet()) {
                String vectorField = target.getKey();
                String text = DocumentText.of(source, target.getValue());
                Object existing = XContentMapValues.extractValue(vectorField, source);
                if (text.isEmpty()) {
                    if (existing instanceof Map<?, ?> map && map.containsKey(VectorFieldMapper.TEXT_HASH_KEY)) {
                        document.removeField(vectorField); // made by us from text that is gone
                    }
                    counters.noText.increment();
                    continue;
                }
                VectorModel fieldModel =
                        named != null ? named : e.model(index == null ? null : index.toString(), vectorField);
                String hash = textHash(fieldModel.id(), text);
                if (skipUnchanged && isCurrent(existing, fieldModel, hash)) {
                    counters.unchanged.increment();
                    continue;
                }
                pending.add(new Pending(document, vectorField, fieldModel, text, hash));
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        // one inference pass per model (a pipeline feeding fields of two models during a migration embeds twice)
        Map<String, List<Pending>> byModel = new LinkedHashMap<>();
        for (Pending p : pending) {
            byModel.computeIfAbsent(p.model.id(), k -> new ArrayList<>()).add(p);
        }
        for (List<Pending> group : byModel.values()) {
            embedGroup(e, group);
        }
    }

    private void embedGroup(DocumentEmbedder e, List<Pending> pending) {
        VectorModel model = pending.get(0).model;
        if (inferenceBatch > 1) {
            // similar lengths together: less padding per batch
            pending.sort(Comparator.comparingInt(p -> p.text.length()));
        }
        List<String> texts = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            texts.add(p.text);
        }
        float[][] vectors = e.embed(model.id(), texts, inferenceBatch);
        if (vectors.length != pending.size()) {
            throw new IllegalStateException("[" + TYPE + "] the model returned " + vectors.length + " vectors for "
                    + pending.size() + " texts");
        }
        for (int i = 0; i < vectors.length; i++) {
            Pending p = pending.get(i);
            if (vectors[i].length != model.dims()) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "[%s] model [%s] returned %d dims, expected %d",
                        TYPE,
                        model.id(),
                        vectors[i].length,
                        model.dims()));
            }
            p.document.setFieldValue(p.vectorField, value(vectors[i], model.id(), p.hash));
        }
        counters.embedded.add(vectors.length);
    }

    /**
     * The value written into a vector field: the object form {@link VectorFieldMapper} accepts, the vector as base64
     * ({@link SourceVector}: what every search filtering {@code _source} parses is one string, not hundreds of numbers).
     */
    static Map<String, Object> value(float[] vector, String modelId, String hash) {
        Map<String, Object> value = new LinkedHashMap<>(4);
        value.put(VectorFieldMapper.MODEL_KEY, modelId);
        value.put(VectorFieldMapper.TEXT_HASH_KEY, hash);
        value.put(VectorFieldMapper.VECTOR_KEY, SourceVector.encode(vector));
        return value;
    }

    /** Whether the source already holds this text's vector of this model (base64, or an array written before). */
    private static boolean isCurrent(Object existing, VectorModel model, String hash) {
        if (existing instanceof Map<?, ?> map
                && hash.equals(map.get(VectorFieldMapper.TEXT_HASH_KEY))
                && model.id().equals(map.get(VectorFieldMapper.MODEL_KEY))) {
            Object vector = map.get(VectorFieldMapper.VECTOR_KEY);
            return vector instanceof String base64
                    ? SourceVector.dimensions(base64) == model.dims()
                    : vector instanceof List<?> values && values.size() == model.dims();
        }
        return false;
    }

    /** First 128 bits of SHA-256 over the model id and the text, hex. */
    static String textHash(String modelId, String text) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        digest.update(modelId.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        byte[] d = digest.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d, 0, 16);
    }

    /** Creates {@code fair_rescore_embed} processors from pipeline definitions. */
    public static final class Factory implements Processor.Factory {

        private final Supplier<DocumentEmbedder> embedder;
        private final Counters counters;

        public Factory(Supplier<DocumentEmbedder> embedder, Counters counters) {
            this.embedder = embedder;
            this.counters = counters;
        }

        @Override
        public EmbedProcessor create(
                Map<String, Processor.Factory> factories, String tag, String description, Map<String, Object> config) {
            Map<String, Object> fieldMap = ConfigurationUtils.readMap(TYPE, tag, config, "field_map");
            if (fieldMap.isEmpty()) {
                throw ConfigurationUtils.newConfigurationException(
                        TYPE, tag, "field_map", "must map at least one text field to a vector field");
            }
            Map<String, List<String>> targets = new LinkedHashMap<>();
            for (Map.Entry<String, Object> entry : fieldMap.entrySet()) {
                String textField = entry.getKey();
                if (textField == null || textField.isBlank()) {
                    throw ConfigurationUtils.newConfigurationException(
                            TYPE, tag, "field_map", "holds an empty text field name");
                }
                if (entry.getValue() instanceof String vectorField && vectorField.isBlank() == false) {
                    if (vectorField.equals(textField)) {
                        throw ConfigurationUtils.newConfigurationException(
                                TYPE,
                                tag,
                                "field_map",
                                "maps [" + textField + "] onto itself; name a separate vector field");
                    }
                    targets.computeIfAbsent(vectorField, v -> new ArrayList<>()).add(textField);
                } else {
                    throw ConfigurationUtils.newConfigurationException(
                            TYPE,
                            tag,
                            "field_map",
                            "value of [" + textField + "] must be the name of a vector field, got [" + entry.getValue()
                                    + "]");
                }
            }
            for (String vectorField : targets.keySet()) {
                if (fieldMap.containsKey(vectorField)) {
                    throw ConfigurationUtils.newConfigurationException(
                            TYPE, tag, "field_map", "[" + vectorField + "] is both a text field and a vector field");
                }
            }
            int batchSize = ConfigurationUtils.readIntProperty(TYPE, tag, config, BATCH_SIZE_FIELD, DEFAULT_BATCH_SIZE);
            if (batchSize < 1) {
                throw ConfigurationUtils.newConfigurationException(
                        TYPE, tag, BATCH_SIZE_FIELD, "must be a positive integer, got " + batchSize);
            }
            int inferenceBatch = ConfigurationUtils.readIntProperty(TYPE, tag, config, "inference_batch", 1);
            if (inferenceBatch < 1 || inferenceBatch > MAX_INFERENCE_BATCH) {
                throw ConfigurationUtils.newConfigurationException(
                        TYPE,
                        tag,
                        "inference_batch",
                        "must be between 1 and " + MAX_INFERENCE_BATCH + ", got " + inferenceBatch);
            }
            boolean skipUnchanged = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "skip_unchanged", true);
            String model = ConfigurationUtils.readOptionalStringProperty(TYPE, tag, config, "model");
            if (model != null) {
                DocumentEmbedder node = embedder.get();
                try {
                    if (node != null) {
                        node.model(model); // an unknown id fails the pipeline definition, not every document
                    }
                } catch (IllegalArgumentException e) {
                    throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", e.getMessage());
                }
            }
            Map<String, List<String>> frozen = new LinkedHashMap<>();
            targets.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new EmbedProcessor(
                    tag,
                    description,
                    batchSize,
                    embedder,
                    Collections.unmodifiableMap(frozen),
                    model,
                    inferenceBatch,
                    skipUnchanged,
                    counters);
        }
    }
}
