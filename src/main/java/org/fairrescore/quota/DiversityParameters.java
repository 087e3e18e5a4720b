package org.fairrescore.quota;

import org.fairrescore.fairness.Diversity;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.ParseField;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ObjectParser;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code diversity} object of a {@code fair_semantic} clause: {@code lambda}, {@code duplicate_threshold} and
 * {@code depth} overriding the index's {@code index.fair_rescore.diversity.*} values of the same names, checked against
 * the same ranges. Diversity only ever chooses among the hits the index's rules allow, so it needs no
 * {@code allow_request_override}.
 */
public final class DiversityParameters implements Writeable, ToXContentFragment {

    public static final ParseField DIVERSITY = new ParseField("diversity");

    private static final ObjectParser<DiversityParameters, Void> PARSER =
            new ObjectParser<>("diversity", DiversityParameters::new);

    static {
        PARSER.declareDouble(DiversityParameters::lambda, new ParseField("lambda"));
        PARSER.declareDouble(DiversityParameters::duplicateThreshold, new ParseField("duplicate_threshold"));
        PARSER.declareInt(DiversityParameters::depth, new ParseField("depth"));
    }

    private Double lambda;
    private Double duplicateThreshold;
    private Integer depth;

    public DiversityParameters() {}

    public DiversityParameters(StreamInput in) throws IOException {
        lambda = in.readOptionalDouble();
        duplicateThreshold = in.readOptionalDouble();
        depth = in.readOptionalVInt();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalDouble(lambda);
        out.writeOptionalDouble(duplicateThreshold);
        out.writeOptionalVInt(depth);
    }

    public static DiversityParameters fromXContent(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null);
    }

    private static <T> T checked(Setting<T> setting, Object value, String field) {
        return QuotaParameters.checked(setting, value, "diversity", field);
    }

    public DiversityParameters lambda(double value) {
        this.lambda = checked(FairRescoreSettings.DIVERSITY_LAMBDA, value, "lambda");
        return this;
    }

    public DiversityParameters duplicateThreshold(double value) {
        this.duplicateThreshold =
                checked(FairRescoreSettings.DIVERSITY_DUPLICATE_THRESHOLD, value, "duplicate_threshold");
        return this;
    }

    public DiversityParameters depth(int value) {
        this.depth = checked(FairRescoreSettings.DIVERSITY_DEPTH, value, "depth");
        return this;
    }

    public List<String> setFields() {
        List<String> set = new ArrayList<>();
        if (lambda != null) set.add("lambda");
        if (duplicateThreshold != null) set.add("duplicate_threshold");
        if (depth != null) set.add("depth");
        return set;
    }

    /** The diversity of one search: the index's settings with {@code clause} (may be null) laid over them. */
    public static Diversity resolve(Settings indexSettings, DiversityParameters clause) {
        double lambda = clause != null && clause.lambda != null
                ? clause.lambda
                : FairRescoreSettings.DIVERSITY_LAMBDA.get(indexSettings);
        double threshold = clause != null && clause.duplicateThreshold != null
                ? clause.duplicateThreshold
                : FairRescoreSettings.DIVERSITY_DUPLICATE_THRESHOLD.get(indexSettings);
        int depth = clause != null && clause.depth != null
                ? clause.depth
                : FairRescoreSettings.DIVERSITY_DEPTH.get(indexSettings);
        if (lambda >= 1 && threshold >= 1) {
            return Diversity.OFF;
        }
        return new Diversity(lambda, threshold, depth == 0 ? Integer.MAX_VALUE : depth);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        if (lambda != null) builder.field("lambda", lambda);
        if (duplicateThreshold != null) builder.field("duplicate_threshold", duplicateThreshold);
        if (depth != null) builder.field("depth", depth);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DiversityParameters d
                && Objects.equals(lambda, d.lambda)
                && Objects.equals(duplicateThreshold, d.duplicateThreshold)
                && Objects.equals(depth, d.depth);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lambda, duplicateThreshold, depth);
    }
}
