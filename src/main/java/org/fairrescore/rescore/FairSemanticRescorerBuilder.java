package org.fairrescore.rescore;

import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.RescorerBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code fair_semantic} rescore clause:
 * <pre>
 * "rescore": { "window_size": 100, "fair_semantic": { "query_text": "...", "fields": ["title"], "semantic_weight": 0.6 } }
 * </pre>
 * {@code fields} and {@code semantic_weight} default to the index settings {@code index.fair_rescore.text_fields} and
 * {@code index.fair_rescore.semantic_weight}; quotas always come from the index settings.
 */
public final class FairSemanticRescorerBuilder extends RescorerBuilder<FairSemanticRescorerBuilder> {

    public static final String NAME = "fair_semantic";
    /** Longest accepted {@code query_text}, in characters (the model reads at most a few hundred tokens anyway). */
    public static final int MAX_QUERY_TEXT_CHARS = 4096;

    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField FIELDS = new ParseField("fields");
    static final ParseField SEMANTIC_WEIGHT = new ParseField("semantic_weight");

    private static final ObjectParser<FairSemanticRescorerBuilder, Void> PARSER = new ObjectParser<>(NAME, null);

    static {
        PARSER.declareString(FairSemanticRescorerBuilder::queryText, QUERY_TEXT);
        PARSER.declareStringArray(FairSemanticRescorerBuilder::fields, FIELDS);
        PARSER.declareFloat(FairSemanticRescorerBuilder::semanticWeight, SEMANTIC_WEIGHT);
        PARSER.declareObject(FairSemanticRescorerBuilder::quota, (p, c) -> QuotaParameters.fromXContent(p), QuotaParameters.QUOTA);
    }

    private final FairSemanticRescorer rescorer;
    private String queryText;
    private List<String> fields;
    private Float semanticWeight;
    private QuotaParameters quota;

    public FairSemanticRescorerBuilder(FairSemanticRescorer rescorer, String queryText) {
        this.rescorer = Objects.requireNonNull(rescorer);
        queryText(queryText);
    }

    private FairSemanticRescorerBuilder(FairSemanticRescorer rescorer) {
        this.rescorer = Objects.requireNonNull(rescorer);
    }

    public FairSemanticRescorerBuilder(StreamInput in, FairSemanticRescorer rescorer) throws IOException {
        super(in);
        this.rescorer = Objects.requireNonNull(rescorer);
        this.queryText = in.readString();
        this.fields = in.readBoolean() ? in.readStringList() : null;
        this.semanticWeight = in.readOptionalFloat();
        this.quota = in.readOptionalWriteable(QuotaParameters::new);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(queryText);
        out.writeBoolean(fields != null);
        if (fields != null) {
            out.writeStringCollection(fields);
        }
        out.writeOptionalFloat(semanticWeight);
        out.writeOptionalWriteable(quota);
    }

    /** The registration of the clause: parsed from REST and read from the wire bound to the node's rescorer. */
    public static org.opensearch.plugins.SearchPlugin.RescorerSpec<FairSemanticRescorerBuilder> spec(FairSemanticRescorer rescorer) {
        return new org.opensearch.plugins.SearchPlugin.RescorerSpec<>(
            NAME,
            in -> new FairSemanticRescorerBuilder(in, rescorer),
            parser -> fromXContent(parser, rescorer)
        );
    }

    public static FairSemanticRescorerBuilder fromXContent(XContentParser parser, FairSemanticRescorer rescorer) throws IOException {
        FairSemanticRescorerBuilder builder = PARSER.parse(parser, new FairSemanticRescorerBuilder(rescorer), null);
        if (builder.queryText == null) {
            throw new IllegalArgumentException("[" + NAME + "] requires [" + QUERY_TEXT.getPreferredName() + "]: the text to embed as the query");
        }
        return builder;
    }

    public FairSemanticRescorerBuilder queryText(String queryText) {
        if (queryText == null || queryText.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [" + QUERY_TEXT.getPreferredName() + "] must be a non-empty string");
        }
        if (queryText.length() > MAX_QUERY_TEXT_CHARS) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "[%s] [%s] is %d characters long; at most %d are accepted: shorten it",
                    NAME,
                    QUERY_TEXT.getPreferredName(),
                    queryText.length(),
                    MAX_QUERY_TEXT_CHARS
                )
            );
        }
        this.queryText = queryText;
        return this;
    }

    public FairSemanticRescorerBuilder fields(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] [" + FIELDS.getPreferredName() + "] must name at least one text field");
        }
        for (String field : fields) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException("[" + NAME + "] [" + FIELDS.getPreferredName() + "] holds an empty field name");
            }
        }
        this.fields = List.copyOf(fields);
        return this;
    }

    public FairSemanticRescorerBuilder semanticWeight(float weight) {
        if ((weight >= 0f && weight <= 1f) == false) {
            throw new IllegalArgumentException(
                String.format(Locale.ROOT, "[%s] [%s] must be between 0 and 1 (0 keeps lexical order), got [%s]", NAME, SEMANTIC_WEIGHT.getPreferredName(), weight)
            );
        }
        this.semanticWeight = weight;
        return this;
    }

    /** Quota parameters overriding the index's, honoured only where the index allows request overrides. */
    public FairSemanticRescorerBuilder quota(QuotaParameters quota) {
        this.quota = quota;
        return this;
    }

    public QuotaParameters quota() {
        return quota;
    }

    public String queryText() {
        return queryText;
    }

    public List<String> fields() {
        return fields;
    }

    public Float semanticWeight() {
        return semanticWeight;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(QUERY_TEXT.getPreferredName(), queryText);
        if (fields != null) {
            builder.field(FIELDS.getPreferredName(), fields);
        }
        if (semanticWeight != null) {
            builder.field(SEMANTIC_WEIGHT.getPreferredName(), semanticWeight);
        }
        if (quota != null) {
            builder.startObject(QuotaParameters.QUOTA.getPreferredName());
            quota.toXContent(builder, params);
            builder.endObject();
        }
        builder.endObject();
    }

    /** Field types whose values are text that can be embedded. */
    static final java.util.Set<String> TEXT_TYPES = new java.util.TreeSet<>(
        List.of("text", "keyword", "match_only_text", "search_as_you_type", "wildcard", "constant_keyword")
    );

    @Override
    protected RescoreContext innerBuildContext(int windowSize, QueryShardContext context) throws IOException {
        if (windowSize < 0) {
            // core takes any int; a negative window failed the shard with a NegativeArraySizeException (HTTP 500)
            throw new IllegalArgumentException("[" + NAME + "] rescore [window_size] must be at least 0, got [" + windowSize + "]");
        }
        FairRescoreSettings.IndexView index = FairRescoreSettings.IndexView.of(context.getIndexSettings().getSettings());
        String indexName = context.index().getName();
        List<String> textFields = fields != null ? fields : index.textFields();
        float weight = semanticWeight != null ? semanticWeight : index.semanticWeight();
        if (weight > 0f) {
            for (String field : textFields) {
                MappedFieldType type = context.fieldMapper(field);
                if (type == null) {
                    throw new IllegalArgumentException(
                        String.format(
                            Locale.ROOT,
                            "[%s] text field [%s] is not mapped in index [%s]; name mapped text fields in [%s] or [%s]",
                            NAME,
                            field,
                            indexName,
                            FIELDS.getPreferredName(),
                            FairRescoreSettings.TEXT_FIELDS.getKey()
                        )
                    );
                }
                if (TEXT_TYPES.contains(type.typeName()) == false) {
                    throw new IllegalArgumentException(
                        String.format(
                            Locale.ROOT,
                            "[%s] [%s] names [%s], a [%s] field in index [%s]; the text embedded for documents must come from fields of type %s",
                            NAME,
                            fields != null ? FIELDS.getPreferredName() : FairRescoreSettings.TEXT_FIELDS.getKey(),
                            field,
                            type.typeName(),
                            indexName,
                            TEXT_TYPES
                        )
                    );
                }
            }
        }
        ResolvedQuota resolved = ResolvedQuota.resolve(context.getIndexSettings().getSettings(), quota, context);
        FairRescoreContext rescoreContext = new FairRescoreContext(windowSize, rescorer, queryText, textFields, weight, index.firstPassSaturation(), resolved);
        if (weight > 0f) {
            rescoreContext.vectorField(vectorField(context, indexName));
            Embeddings model = rescorer.embeddingsIfLoaded();
            if (model != null) {
                rescoreContext.prefetchQueryVector(model); // overlaps the first pass
            }
        }
        return rescoreContext;
    }

    /** The index's {@code fair_rescore_vector} field from {@code index.fair_rescore.vector_field}, checked; null if unset. */
    private static String vectorField(QueryShardContext context, String indexName) {
        String field = FairRescoreSettings.VECTOR_FIELD.get(context.getIndexSettings().getSettings());
        if (field.isEmpty()) {
            return null;
        }
        MappedFieldType type = context.fieldMapper(field);
        String setting = FairRescoreSettings.VECTOR_FIELD.getKey();
        if (type == null) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "[%s] names [%s], which is not mapped in index [%s]; map it as a [%s] field or clear the setting",
                    setting,
                    field,
                    indexName,
                    VectorFieldMapper.CONTENT_TYPE
                )
            );
        }
        if (type instanceof VectorFieldMapper.VectorFieldType == false) {
            throw new IllegalArgumentException(
                String.format(
                    Locale.ROOT,
                    "[%s] names [%s], a [%s] field in index [%s]; it must be a [%s] field",
                    setting,
                    field,
                    type.typeName(),
                    indexName,
                    VectorFieldMapper.CONTENT_TYPE
                )
            );
        }
        return field;
    }

    @Override
    public FairSemanticRescorerBuilder rewrite(QueryRewriteContext ctx) {
        return this;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public boolean equals(Object o) {
        if (super.equals(o) == false) {
            return false;
        }
        FairSemanticRescorerBuilder other = (FairSemanticRescorerBuilder) o;
        return Objects.equals(queryText, other.queryText) && Objects.equals(fields, other.fields) && Objects.equals(semanticWeight, other.semanticWeight)
            && Objects.equals(quota, other.quota);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), queryText, fields, semanticWeight, quota);
    }
}
