package org.fairrescore.quota;

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
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Quota parameters a {@code fair_semantic} clause may set in its {@code quota} object, overriding the index's
 * {@code index.fair_rescore.*} values of the same names. Honoured only where the index sets
 * {@code index.fair_rescore.allow_request_override: true}. Values are checked against the same ranges as the settings.
 */
public final class QuotaParameters implements Writeable, ToXContentFragment {

    public static final ParseField QUOTA = new ParseField("quota");

    /** The rescore clause these parameters belong to, for messages (the rescore package depends on this one, not back). */
    public static final String CLAUSE = "fair_semantic";

    private static final ObjectParser<QuotaParameters, Void> PARSER = new ObjectParser<>("quota", QuotaParameters::new);

    static {
        // a string or a list of rules, like the setting
        PARSER.declareStringArray(QuotaParameters::mode, new ParseField("mode"));
        PARSER.declareObject(
                (q, v) -> q.groupMinimums(v),
                (p, c) -> {
                    Map<String, Double> minimums = new TreeMap<>();
                    for (Map.Entry<String, Object> e : p.map().entrySet()) {
                        if (e.getValue() instanceof Number n) {
                            minimums.put(e.getKey(), n.doubleValue());
                        } else {
                            throw new IllegalArgumentException("[" + CLAUSE + "][quota][group_minimums][" + e.getKey()
                                    + "] must be a number, got [" + e.getValue() + "]");
                        }
                    }
                    return minimums;
                },
                new ParseField("group_minimums"));
        PARSER.declareInt(
                (q, v) -> q.maxPerShop = checked(FairRescoreSettings.MAX_PER_SHOP, v, "max_per_shop"),
                new ParseField("max_per_shop"));
        PARSER.declareInt(
                (q, v) -> q.capWindow = checked(FairRescoreSettings.CAP_WINDOW, v, "cap_window"),
                new ParseField("cap_window"));
        PARSER.declareDouble(
                (q, v) -> q.maxShare = checked(FairRescoreSettings.MAX_SHARE, v, "max_share"),
                new ParseField("max_share"));
        PARSER.declareInt(
                (q, v) -> q.shareMinPrefix = checked(FairRescoreSettings.SHARE_MIN_PREFIX, v, "share_min_prefix"),
                new ParseField("share_min_prefix"));
        PARSER.declareDouble(
                (q, v) -> q.protectedShare = checked(FairRescoreSettings.PROTECTED_SHARE, v, "protected_share"),
                new ParseField("protected_share"));
        PARSER.declareDouble(
                (q, v) -> q.alpha = checked(FairRescoreSettings.ALPHA, v, "alpha"), new ParseField("alpha"));
    }

    List<String> mode;
    Map<String, Double> groupMinimums;
    Integer maxPerShop;
    Integer capWindow;
    Double maxShare;
    Integer shareMinPrefix;
    Double protectedShare;
    Double alpha;

    public QuotaParameters() {}

    public QuotaParameters(StreamInput in) throws IOException {
        mode = in.readBoolean() ? in.readStringList() : null;
        groupMinimums =
                in.readBoolean() ? new TreeMap<>(in.readMap(StreamInput::readString, StreamInput::readDouble)) : null;
        maxPerShop = in.readOptionalVInt();
        capWindow = in.readOptionalVInt();
        maxShare = in.readOptionalDouble();
        shareMinPrefix = in.readOptionalVInt();
        protectedShare = in.readOptionalDouble();
        alpha = in.readOptionalDouble();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeBoolean(mode != null);
        if (mode != null) {
            out.writeStringCollection(mode);
        }
        out.writeBoolean(groupMinimums != null);
        if (groupMinimums != null) {
            out.writeMap(groupMinimums, StreamOutput::writeString, StreamOutput::writeDouble);
        }
        out.writeOptionalVInt(maxPerShop);
        out.writeOptionalVInt(capWindow);
        out.writeOptionalDouble(maxShare);
        out.writeOptionalVInt(shareMinPrefix);
        out.writeOptionalDouble(protectedShare);
        out.writeOptionalDouble(alpha);
    }

    public static QuotaParameters fromXContent(XContentParser parser) throws IOException {
        return PARSER.parse(parser, null);
    }

    /** Validates one value with its index setting's own parser and range, naming the clause field on failure. */
    private static <T> T checked(Setting<T> setting, Object value, String field) {
        return checked(setting, value, "quota", field);
    }

    /**
     * The same for a field of the clause's object {@code object} ({@code quota}, {@code diversity}): the 400 names
     * {@code [fair_semantic][object][field]}.
     */
    static <T> T checked(Setting<T> setting, Object value, String object, String field) {
        try {
            return setting.get(
                    Settings.builder().put(setting.getKey(), value.toString()).build());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "[" + QuotaParameters.CLAUSE + "][" + object + "][" + field + "] " + e.getMessage(), e);
        }
    }

    /** One mode, as {@code "mode": "cap"}. */
    public QuotaParameters mode(String mode) {
        return mode(List.of(mode));
    }

    /** A list of rules that hold together, as {@code "mode": ["cap", "fair_topk"]}. */
    public QuotaParameters mode(List<String> modes) {
        try {
            FairRescoreSettings.validateModes(modes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + QuotaParameters.CLAUSE + "][quota][mode] " + e.getMessage(), e);
        }
        this.mode = List.copyOf(modes);
        return this;
    }

    /**
     * Minimum shares of the protected groups of {@code index.fair_rescore.groups.field} ({@code group_fair_topk}),
     * replacing the index's {@code index.fair_rescore.groups.minimums.*}; each checked like those settings.
     */
    public QuotaParameters groupMinimums(Map<String, Double> minimums) {
        if (minimums == null || minimums.isEmpty()) {
            throw new IllegalArgumentException(
                    "[" + QuotaParameters.CLAUSE + "][quota][group_minimums] must name at least one group");
        }
        Map<String, Double> checked = new TreeMap<>();
        for (Map.Entry<String, Double> e : minimums.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException(
                        "[" + QuotaParameters.CLAUSE + "][quota][group_minimums] holds an empty group name");
            }
            Setting<Double> setting = FairRescoreSettings.GROUP_MINIMUMS.getConcreteSettingForNamespace(e.getKey());
            checked.put(e.getKey(), checked(setting, e.getValue(), "group_minimums][" + e.getKey()));
        }
        if (checked.size() > FairRescoreSettings.MAX_GROUPS) {
            throw new IllegalArgumentException("[" + QuotaParameters.CLAUSE + "][quota][group_minimums] sets "
                    + checked.size() + " groups; at most " + FairRescoreSettings.MAX_GROUPS + " are allowed");
        }
        this.groupMinimums = checked;
        return this;
    }

    public QuotaParameters maxPerShop(int value) {
        this.maxPerShop = checked(FairRescoreSettings.MAX_PER_SHOP, value, "max_per_shop");
        return this;
    }

    public QuotaParameters capWindow(int value) {
        this.capWindow = checked(FairRescoreSettings.CAP_WINDOW, value, "cap_window");
        return this;
    }

    public QuotaParameters maxShare(double value) {
        this.maxShare = checked(FairRescoreSettings.MAX_SHARE, value, "max_share");
        return this;
    }

    public QuotaParameters shareMinPrefix(int value) {
        this.shareMinPrefix = checked(FairRescoreSettings.SHARE_MIN_PREFIX, value, "share_min_prefix");
        return this;
    }

    public QuotaParameters protectedShare(double value) {
        this.protectedShare = checked(FairRescoreSettings.PROTECTED_SHARE, value, "protected_share");
        return this;
    }

    public QuotaParameters alpha(double value) {
        this.alpha = checked(FairRescoreSettings.ALPHA, value, "alpha");
        return this;
    }

    /** The clause fields that are set, for error messages. */
    public List<String> setFields() {
        List<String> set = new ArrayList<>();
        if (mode != null) set.add("mode");
        if (groupMinimums != null) set.add("group_minimums");
        if (maxPerShop != null) set.add("max_per_shop");
        if (capWindow != null) set.add("cap_window");
        if (maxShare != null) set.add("max_share");
        if (shareMinPrefix != null) set.add("share_min_prefix");
        if (protectedShare != null) set.add("protected_share");
        if (alpha != null) set.add("alpha");
        return set;
    }

    public boolean isEmpty() {
        return setFields().isEmpty();
    }

    /** The index settings with these parameters laid over them. */
    public Settings applyTo(Settings indexSettings) {
        Settings.Builder merged = Settings.builder().put(indexSettings);
        if (mode != null) merged.putList(FairRescoreSettings.MODE.getKey(), mode);
        if (groupMinimums != null) {
            // the clause's groups replace the index's
            merged = Settings.builder()
                    .put(merged.build()
                            .filter(key -> key.startsWith(FairRescoreSettings.GROUP_MINIMUMS.getKey()) == false));
            for (Map.Entry<String, Double> e : groupMinimums.entrySet()) {
                merged.put(FairRescoreSettings.GROUP_MINIMUMS.getKey() + e.getKey(), e.getValue());
            }
        }
        if (maxPerShop != null) merged.put(FairRescoreSettings.MAX_PER_SHOP.getKey(), maxPerShop);
        if (capWindow != null) merged.put(FairRescoreSettings.CAP_WINDOW.getKey(), capWindow);
        if (maxShare != null) merged.put(FairRescoreSettings.MAX_SHARE.getKey(), maxShare);
        if (shareMinPrefix != null) merged.put(FairRescoreSettings.SHARE_MIN_PREFIX.getKey(), shareMinPrefix);
        if (protectedShare != null) merged.put(FairRescoreSettings.PROTECTED_SHARE.getKey(), protectedShare);
        if (alpha != null) merged.put(FairRescoreSettings.ALPHA.getKey(), alpha);
        return merged.build();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        if (mode != null) {
            if (mode.size() == 1) {
                builder.field("mode", mode.get(0));
            } else {
                builder.field("mode", mode);
            }
        }
        if (groupMinimums != null) builder.field("group_minimums", groupMinimums);
        if (maxPerShop != null) builder.field("max_per_shop", maxPerShop);
        if (capWindow != null) builder.field("cap_window", capWindow);
        if (maxShare != null) builder.field("max_share", maxShare);
        if (shareMinPrefix != null) builder.field("share_min_prefix", shareMinPrefix);
        if (protectedShare != null) builder.field("protected_share", protectedShare);
        if (alpha != null) builder.field("alpha", alpha);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o instanceof QuotaParameters == false) return false;
        QuotaParameters q = (QuotaParameters) o;
        return Objects.equals(mode, q.mode)
                && Objects.equals(groupMinimums, q.groupMinimums)
                && Objects.equals(maxPerShop, q.maxPerShop)
                && Objects.equals(capWindow, q.capWindow)
                && Objects.equals(maxShare, q.maxShare)
                && Objects.equals(shareMinPrefix, q.shareMinPrefix)
                && Objects.equals(protectedShare, q.protectedShare)
                && Objects.equals(alpha, q.alpha);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                mode, groupMinimums, maxPerShop, capWindow, maxShare, shareMinPrefix, protectedShare, alpha);
    }
}
