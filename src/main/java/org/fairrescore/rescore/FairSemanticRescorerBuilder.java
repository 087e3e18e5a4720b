package org.fairrescore.rescore;

import org.fairrescore.quota.DiversityParameters;
import org.fairrescore.quota.QuotaParameters;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.VectorFieldMapper;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
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
 * {@code index.fair_rescore.semantic_weight}; quotas come from the index settings (or the clause's {@code quota} where
 * the index allows it). {@code model} (optional) names the model that embeds the query; without it each shard uses the
 * model of its index's vector field, else {@code index.fair_rescore.model}, else the node's default. The coordinating
 * node fills it in when every searched index resolves to one model ({@link CoordinatingSearchFilter}), so that all shards of
 * a search embed the query with the same model even while an admin switches an index to another one.
 */
public final class FairSemanticRescorerBuilder extends RescorerBuilder<FairSemanticRescorerBuilder> {

    public static final String NAME = "fair_semantic";
    /** Longest accepted {@code query_text}, in characters (the model reads at most a few hundred tokens anyway). */
    public static final int MAX_QUERY_TEXT_CHARS = 4096;

    static final ParseField QUERY_TEXT = new ParseField("query_text");
    static final ParseField FIELDS = new ParseField("fields");
    static final ParseField SEMANTIC_WEIGHT = new ParseField("semantic_weight");
    static final ParseField MODEL = new ParseField("model");

    private static final ObjectParser<FairSemanticRescorerBuilder, Void> PARSER = new ObjectParser<>(NAME, null);

    static {
        PARSER.declareString(FairSemanticRescorerBuilder::queryText, QUERY_TEXT);
        PARSER.declareStringArray(FairSemanticRescorerBuilder::fields, FIELDS);
        PARSER.declareFloat(FairSemanticRescorerBuilder::semanticWeight, SEMANTIC_WEIGHT);
        PARSER.declareString(FairSemanticRescorerBuilder::model, MODEL);
        PARSER.declareObject(
                FairSemanticRescorerBuilder::quota, (p, c) -> QuotaParameters.fromXContent(p), QuotaParameters.QUOTA);
        PARSER.declareObject(
                FairSemanticRescorerBuilder::diversity,
                (p, c) -> DiversityParameters.fromXContent(p),
                DiversityParameters.DIVERSITY);
    }

    private final FairSemanticRescorer rescorer;
    private String queryText;
    private List<String> fields;
    private Float semanticWeight;
    private String model;
    private boolean modelFromIndices;
    private QuotaParameters quota;
    private DiversityParameters diversity;

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
        this.model = in.readOptionalString();
        this.modelFromIndices = in.readBoolean();
        this.quota = in.readOptionalWriteable(QuotaParameters::new);
        this.diversity = in.readOptionalWriteable(DiversityParameters::new);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(queryText);
        out.writeBoolean(fields != null);
        if (fields != null) {
            out.writeStringCollection(fields);
        }
        out.writeOptionalFloat(semanticWeight);
        out.writeOptionalString(model);
        out.writeBoolean(modelFromIndices);
        out.writeOptionalWriteable(quota);
        out.writeOptionalWriteable(diversity);
    }

    /** The registration of the clause: parsed from REST and read from the wire bound to the node's rescorer. */
    public static org.opensearch.plugins.SearchPlugin.RescorerSpec<FairSemanticRescorerBuilder> spec(
            FairSemanticRescorer rescorer) {
        return new org.opensearch.plugins.SearchPlugin.RescorerSpec<>(
                NAME, in -> new FairSemanticRescorerBuilder(in, rescorer), parser -> fromXContent(parser, rescorer));
    }

    public static FairSemanticRescorerBuilder fromXContent(XContentParser parser, FairSemanticRescorer rescorer)
            throws IOException {
        FairSemanticRescorerBuilder builder = PARSER.parse(parser, new FairSemanticRescorerBuilder(rescorer), null);
        if (builder.queryText == null) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] requires [" + QUERY_TEXT.getPreferredName() + "]: the text to embed as the query");
        }
        return builder;
    }

    public FairSemanticRescorerBuilder queryText(String queryText) {
        if (queryText == null || queryText.isBlank()) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [" + QUERY_TEXT.getPreferredName() + "] must be a non-empty string");
        }
        if (queryText.length() > MAX_QUERY_TEXT_CHARS) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s] [%s] is %d characters long; at most %d are accepted: shorten it",
                    NAME,
                    QUERY_TEXT.getPreferredName(),
                    queryText.length(),
                    MAX_QUERY_TEXT_CHARS));
        }
        this.queryText = queryText;
        return this;
    }

    public FairSemanticRescorerBuilder fields(List<String> fields) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException(
                    "[" + NAME + "] [" + FIELDS.getPreferredName() + "] must name at least one text field");
        }
        for (String field : fields) {
            if (field == null || field.isBlank()) {
                throw new IllegalArgumentException(
                        "[" + NAME + "] [" + FIELDS.getPreferredName() + "] holds an empty field name");
            }
        }
        this.fields = List.copyOf(fields);
        return this;
    }

    public FairSemanticRescorerBuilder semanticWeight(float weight) {
        if ((weight >= 0f && weight <= 1f) == false) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "[%s] [%s] must be between 0 and 1 (0 keeps lexical order), got [%s]",
                    NAME,
                    SEMANTIC_WEIGHT.getPreferredName(),
                    weight));
        }
        this.semanticWeight = weight;
        return this;
    }

    /** The model that embeds the query on every shard (see the class notes). */
    public FairSemanticRescorerBuilder model(String model) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [" + MODEL.getPreferredName() + "] must be a model id");
        }
        this.model = model;
        this.modelFromIndices = false;
        return this;
    }

    public String model() {
        return model;
    }

    /** Whether {@link #model()} was filled in by the coordinating node from the searched indices, not by the request. */
    public boolean modelFromIndices() {
        return modelFromIndices;
    }

    /**
     * A copy of this clause whose query model is {@code modelId}, resolved by the coordinating node from the searched
     * indices (the request named none).
     */
    public FairSemanticRescorerBuilder withModelOfIndices(String modelId) {
        FairSemanticRescorerBuilder copy = new FairSemanticRescorerBuilder(rescorer);
        copy.queryText = queryText;
        copy.fields = fields;
        copy.semanticWeight = semanticWeight;
        copy.quota = quota;
        copy.diversity = diversity;
        copy.model = Objects.requireNonNull(modelId);
        copy.modelFromIndices = true;
        if (windowSize() != null) {
            copy.windowSize(windowSize());
        }
        return copy;
    }

    /** Quota parameters overriding the index's, honoured only where the index allows request overrides. */
    public FairSemanticRescorerBuilder quota(QuotaParameters quota) {
        this.quota = quota;
        return this;
    }

    public QuotaParameters quota() {
        return quota;
    }

    /**
     * MMR and near-duplicate parameters overriding the index's {@code index.fair_rescore.diversity.*} (always honoured:
     * diversity only chooses among the hits the index's rules allow).
     */
    public FairSemanticRescorerBuilder diversity(DiversityParameters diversity) {
        this.diversity = diversity;
        return this;
    }

    public DiversityParameters diversity() {
        return diversity;
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
        if (model != null) {
            builder.field(MODEL.getPreferredName(), model);
        }
        if (quota != null) {
            builder.startObject(QuotaParameters.QUOTA.getPreferredName());
            quota.toXContent(builder, params);
            builder.endObject();
        }
        if (diversity != null) {
            builder.startObject(DiversityParameters.DIVERSITY.getPreferredName());
            diversity.toXContent(builder, params);
            builder.endObject();
        }
        builder.endObject();
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, QueryShardContext context) throws IOException {
        if (windowSize < 0) {
            // core takes any int; a negative window failed the shard with a NegativeArraySizeException (HTTP 500)
            throw new IllegalArgumentException(
                    "[" + NAME + "] rescore [window_size] must be at least 0, got [" + windowSize + "]");
        }
        FairRescoreSettings.IndexView index =
                FairRescoreSettings.IndexView.of(context.getIndexSettings().getSettings());
        List<String> textFields = fields != null ? fields : index.textFields();
        float weight = semanticWeight != null ? semanticWeight : index.semanticWeight();
        if (weight > 0f) {
            FieldChecks.textFields(
                    context,
                    textFields,
                    fields != null ? FIELDS.getPreferredName() : FairRescoreSettings.TEXT_FIELDS.getKey());
        }
        ResolvedQuota resolved =
                ResolvedQuota.resolve(context.getIndexSettings().getSettings(), quota, context);
        QueryModel queryModel = null;
        String vectorField = null;
        if (weight > 0f) {
            VectorFieldMapper.VectorFieldType vectors = FieldChecks.vectorField(context);
            vectorField = vectors == null ? null : vectors.name();
            queryModel = QueryModel.resolve(context, rescorer.models(), model, modelFromIndices, vectors);
        }
        FairRescoreContext rescoreContext = new FairRescoreContext(
                windowSize,
                rescorer,
                queryText,
                textFields,
                weight,
                index.firstPassSaturation(),
                resolved,
                queryModel,
                vectorField,
                ExposurePlan.resolve(context),
                DiversityParameters.resolve(context.getIndexSettings().getSettings(), diversity));
        if (queryModel != null) {
            rescoreContext.prefetchQueryVector(); // overlaps the first pass
        }
        return rescoreContext;
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
        return Objects.equals(queryText, other.queryText)
                && Objects.equals(fields, other.fields)
                && Objects.equals(semanticWeight, other.semanticWeight)
                && Objects.equals(model, other.model)
                && modelFromIndices == other.modelFromIndices
                && Objects.equals(quota, other.quota)
                && Objects.equals(diversity, other.diversity);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                super.hashCode(), queryText, fields, semanticWeight, model, modelFromIndices, quota, diversity);
    }
}
