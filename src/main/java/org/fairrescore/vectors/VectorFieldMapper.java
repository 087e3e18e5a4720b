package org.fairrescore.vectors;

import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.ArraySourceValueFetcher;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.search.lookup.SearchLookup;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code fair_rescore_vector} field: one dense vector per document, kept in binary doc values (see
 * {@link VectorCodec}) for the rescorer to read; not indexed, not searchable, not a kNN field.
 *
 * <pre>
 * "title_vector": { "type": "fair_rescore_vector", "model": "all-minilm-l6-v2-q", "encoding": "int8" }
 * </pre>
 *
 * The field is bound to one model ({@code model}, immutable; default: the node's {@code fair_rescore.model} when the
 * mapping is created, written into the mapping). {@code dims} defaults to the model's vector length and must equal it.
 * Every stored vector carries the model's fingerprint ({@link VectorCodec}), so the rescorer never compares it with a
 * query vector of another model. A document gives the vector as an array of numbers, as a base64 string of big-endian
 * float32 values ({@link SourceVector}), or as the object the {@code fair_rescore_embed} processor writes:
 * {@code {"vector": "<base64>", "model": "...", "text_hash": "..."}} (an array there too; {@code model} and
 * {@code text_hash} stay in {@code _source} only). A document with another length, a non-numeric or non-finite
 * component, bad base64, or a {@code model} other than the field's is refused (400, naming the field).
 */
public final class VectorFieldMapper extends ParametrizedFieldMapper {

    public static final String CONTENT_TYPE = "fair_rescore_vector";
    /** Longest vector accepted in a mapping. */
    public static final int MAX_DIMS = 4096;

    /** Keys of the object form of a value. */
    public static final String VECTOR_KEY = "vector";

    public static final String MODEL_KEY = "model";
    public static final String TEXT_HASH_KEY = "text_hash";

    private static VectorFieldMapper toType(FieldMapper in) {
        return (VectorFieldMapper) in;
    }

    /**
     * The model the {@code fair_rescore_vector} field at {@code path} (dots for object fields) is bound to in a mapping's
     * source ({@code MappingMetadata.sourceAsMap()}), or null when there is no such field.
     */
    public static String boundModel(Map<String, Object> mapping, String path) {
        Object node = mapping;
        for (String part : path.split("\\.")) {
            Object properties = node instanceof Map<?, ?> m ? m.get("properties") : null;
            node = properties instanceof Map<?, ?> p ? p.get(part) : null;
            if (node == null) {
                return null;
            }
        }
        if (node instanceof Map<?, ?> field
                && CONTENT_TYPE.equals(field.get("type"))
                && field.get(MODEL_KEY) instanceof String id) {
            return id;
        }
        return null;
    }

    /** The type parser: fields are bound to models of {@code models}, by default its default model. */
    public static TypeParser parser(ModelCatalog models) {
        return new TypeParser((name, context) -> new Builder(name, models));
    }

    public static final class Builder extends ParametrizedFieldMapper.Builder {

        private final Parameter<String> model;
        private final Parameter<Integer> dims = new Parameter<>(
                        "dims", false, () -> 0, (field, context, value) -> dims(field, value), m -> toType(m).dims)
                .alwaysSerialize();
        private final Parameter<String> encoding = Parameter.restrictedStringParam(
                        "encoding",
                        false,
                        m -> toType(m).encoding.id(),
                        VectorEncoding.FLOAT32.id(),
                        VectorEncoding.INT8.id())
                .alwaysSerialize();
        private final Parameter<Map<String, String>> meta = Parameter.metaParam();
        private final ModelCatalog models;

        public Builder(String name, ModelCatalog models) {
            super(name);
            this.models = models;
            this.model = new Parameter<>(
                            MODEL_KEY,
                            false,
                            models::defaultModel,
                            (field, context, value) -> modelId(field, value),
                            m -> toType(m).model.id())
                    .alwaysSerialize();
        }

        /** {@code model} as a non-blank string, or a 400 naming the field and the parameter. */
        private static String modelId(String field, Object value) {
            if (value instanceof String id && id.isBlank() == false) {
                return id;
            }
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "field [%s] of type [%s]: [%s] must be a model id, got [%s]",
                    field,
                    CONTENT_TYPE,
                    MODEL_KEY,
                    value));
        }

        public Builder model(String id) {
            model.setValue(id);
            return this;
        }

        /** {@code dims} as a whole number, or a 400 naming the field and the parameter (core's parser names neither). */
        private static int dims(String field, Object value) {
            if (value instanceof Number n
                    && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
                return n.intValue();
            }
            if (value instanceof String text) {
                try {
                    return Integer.parseInt(text.trim());
                } catch (NumberFormatException e) {
                    // fall through to the message below
                }
            }
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "field [%s] of type [%s]: [dims] must be a whole number, got [%s]",
                    field,
                    CONTENT_TYPE,
                    value));
        }

        public Builder dims(int value) {
            dims.setValue(value);
            return this;
        }

        public Builder encoding(VectorEncoding value) {
            encoding.setValue(value.id());
            return this;
        }

        @Override
        protected List<Parameter<?>> getParameters() {
            return List.of(model, dims, encoding, meta);
        }

        @Override
        public VectorFieldMapper build(BuilderContext context) {
            String fullName = buildFullName(context);
            VectorModel bound = models.model(model.getValue());
            if (bound == null) {
                throw new MapperParsingException(String.format(
                        Locale.ROOT,
                        "field [%s] of type [%s] names model [%s], which this node does not know; known models: %s (bundled, or under "
                                + "[fair_rescore.models_path] on every node)",
                        fullName,
                        CONTENT_TYPE,
                        model.getValue(),
                        models.ids()));
            }
            int length = dims.getValue() == 0 ? bound.dims() : dims.getValue();
            if (length < 1 || length > MAX_DIMS) {
                throw new MapperParsingException(String.format(
                        Locale.ROOT,
                        "field [%s] of type [%s] needs [dims] between 1 and %d, the length of the model's vectors; got [%d]",
                        fullName,
                        CONTENT_TYPE,
                        MAX_DIMS,
                        length));
            }
            if (length != bound.dims()) {
                throw new MapperParsingException(String.format(
                        Locale.ROOT,
                        "field [%s] of type [%s] has [dims] %d, but its model [%s] makes %d-dimension vectors; leave [dims] out or set it to %d",
                        fullName,
                        CONTENT_TYPE,
                        length,
                        bound.id(),
                        bound.dims(),
                        bound.dims()));
            }
            VectorFieldType type =
                    new VectorFieldType(fullName, bound, VectorEncoding.of(encoding.getValue()), meta.getValue());
            return new VectorFieldMapper(name, type, multiFieldsBuilder.build(this, context), copyTo.build(), this);
        }
    }

    /** The field's type: its model, dimensions and encoding, doc values only. */
    public static final class VectorFieldType extends MappedFieldType {

        private final VectorModel model;
        private final VectorEncoding encoding;

        public VectorFieldType(String name, VectorModel model, VectorEncoding encoding, Map<String, String> meta) {
            super(name, false, false, true, TextSearchInfo.NONE, meta);
            this.model = model;
            this.encoding = encoding;
        }

        /** The model every vector of this field is made by. */
        public VectorModel model() {
            return model;
        }

        public int dims() {
            return model.dims();
        }

        public VectorEncoding encoding() {
            return encoding;
        }

        @Override
        public String typeName() {
            return CONTENT_TYPE;
        }

        @Override
        public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup searchLookup, String format) {
            if (format != null) {
                throw new IllegalArgumentException(
                        "field [" + name() + "] of type [" + CONTENT_TYPE + "] doesn't support formats");
            }
            return new ArraySourceValueFetcher(name(), context) {
                @Override
                protected Object parseSourceValue(Object value) {
                    if (value instanceof Map<?, ?> map) {
                        Object vector = map.get(VECTOR_KEY);
                        return vector instanceof List<?> list ? list : List.of();
                    }
                    return value instanceof List<?> list ? list : List.of(value);
                }
            };
        }

        @Override
        public Query termQuery(Object value, QueryShardContext context) {
            throw new QueryShardException(
                    context,
                    "field [" + name() + "] of type [" + CONTENT_TYPE
                            + "] is not searchable: it holds vectors for the fair_semantic rescorer");
        }
    }

    private final VectorModel model;
    private final int dims;
    private final VectorEncoding encoding;
    private final ModelCatalog models;

    private VectorFieldMapper(
            String simpleName, VectorFieldType type, MultiFields multiFields, CopyTo copyTo, Builder builder) {
        super(simpleName, type, multiFields, copyTo);
        this.model = type.model();
        this.dims = model.dims();
        this.encoding = type.encoding();
        this.models = builder.models;
    }

    @Override
    public VectorFieldType fieldType() {
        return (VectorFieldType) super.fieldType();
    }

    @Override
    public boolean parsesArrayValue() {
        return true;
    }

    @Override
    protected void parseCreateField(ParseContext context) throws IOException {
        XContentParser parser = context.parser();
        XContentParser.Token token = parser.currentToken();
        if (token == XContentParser.Token.VALUE_NULL) {
            return;
        }
        float[] vector;
        if (token == XContentParser.Token.START_ARRAY) {
            vector = parseNumbers(parser);
        } else if (token == XContentParser.Token.VALUE_STRING) {
            vector = parseBase64(parser.text(), name());
        } else if (token == XContentParser.Token.START_OBJECT) {
            vector = parseObject(parser);
        } else {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "field [%s] takes an array of %d numbers, a base64 string of %d big-endian float32 values or an"
                            + " object with [%s], not a %s",
                    name(),
                    dims,
                    dims,
                    VECTOR_KEY,
                    describe(token)));
        }
        if (context.doc().getField(name()) != null) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "field [%s] takes one vector per document, got a second one", name()));
        }
        context.doc()
                .add(new BinaryDocValuesField(
                        name(), new BytesRef(VectorCodec.encode(vector, encoding, model.fingerprint()))));
    }

    private float[] parseObject(XContentParser parser) throws IOException {
        float[] vector = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token != XContentParser.Token.FIELD_NAME) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT, "field [%s]: unexpected %s in the vector object", name(), describe(token)));
            }
            String key = parser.currentName();
            token = parser.nextToken();
            switch (key) {
                case VECTOR_KEY -> {
                    if (token == XContentParser.Token.VALUE_STRING) {
                        vector = parseBase64(parser.text(), name() + "." + VECTOR_KEY);
                    } else if (token == XContentParser.Token.START_ARRAY) {
                        vector = parseNumbers(parser);
                    } else {
                        throw new IllegalArgumentException(String.format(
                                Locale.ROOT,
                                "field [%s]: [%s] must be an array of %d numbers or a base64 string of %d big-endian"
                                        + " float32 values, not a %s",
                                name(),
                                VECTOR_KEY,
                                dims,
                                dims,
                                describe(token)));
                    }
                }
                case MODEL_KEY -> {
                    String id = parser.textOrNull();
                    if (id != null && id.equals(model.id()) == false) {
                        throw new IllegalArgumentException(String.format(
                                Locale.ROOT,
                                "field [%s] holds vectors of model [%s], but this vector was made by model [%s]; re-embed the text with "
                                        + "[%s] (the fair_rescore_embed processor does), or write it into a field bound to [%s]",
                                name(),
                                model.id(),
                                id,
                                model.id(),
                                id));
                    }
                }
                case TEXT_HASH_KEY -> parser.textOrNull();
                default ->
                    throw new IllegalArgumentException(String.format(
                            Locale.ROOT,
                            "field [%s]: unknown key [%s] in the vector object (known: %s, %s, %s)",
                            name(),
                            key,
                            VECTOR_KEY,
                            MODEL_KEY,
                            TEXT_HASH_KEY));
            }
        }
        if (vector == null) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "field [%s]: the vector object has no [%s]", name(), VECTOR_KEY));
        }
        return vector;
    }

    /** A vector given as base64 of big-endian float32 values ({@link SourceVector}, what the processor writes). */
    private float[] parseBase64(String text, String where) {
        float[] vector;
        try {
            vector = SourceVector.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "field [%s]: not a base64 vector of float32 values: %s",
                            where,
                            e.getMessage()),
                    e);
        }
        if (vector.length != dims) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "field [%s] has %d dimensions in its mapping, the document gives %d",
                    name(),
                    dims,
                    vector.length));
        }
        for (int i = 0; i < vector.length; i++) {
            if (Float.isFinite(vector[i]) == false) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "field [%s]: component %d is %s", name(), i, vector[i]));
            }
        }
        return vector;
    }

    private float[] parseNumbers(XContentParser parser) throws IOException {
        List<Float> values = new ArrayList<>(dims);
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
            if (token != XContentParser.Token.VALUE_NUMBER) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "field [%s] takes numbers only; component %d is a %s",
                        name(),
                        values.size(),
                        describe(token)));
            }
            float v = parser.floatValue();
            if (Float.isFinite(v) == false) {
                throw new IllegalArgumentException(
                        String.format(Locale.ROOT, "field [%s]: component %d is %s", name(), values.size(), v));
            }
            values.add(v);
        }
        if (values.size() != dims) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "field [%s] has %d dimensions in its mapping, the document gives %d",
                    name(),
                    dims,
                    values.size()));
        }
        float[] vector = new float[dims];
        for (int i = 0; i < dims; i++) {
            vector[i] = values.get(i);
        }
        return vector;
    }

    private static String describe(XContentParser.Token token) {
        return switch (token) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER -> "number";
            case VALUE_BOOLEAN -> "boolean";
            case START_ARRAY -> "nested array";
            case START_OBJECT -> "object";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    @Override
    public ParametrizedFieldMapper.Builder getMergeBuilder() {
        return new Builder(simpleName(), models).init(this);
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }
}
