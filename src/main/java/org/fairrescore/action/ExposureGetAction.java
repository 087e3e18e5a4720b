package org.fairrescore.action;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ActionType;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.opensearch.action.ValidateActions.addValidationError;

/**
 * {@code GET _plugins/_fair_rescore/exposure/{index}}: the index's exposure ledger as every node's rescorer reads it,
 * after a sync with all nodes: per shop its exposure, merit, target, ratio to target, deficit, current boost and last
 * update, sorted and cut to {@code size}. With {@code local=true} the node that received the request answers from its
 * view as it stands, without syncing first: what its rescorer reads right now (as of its last scheduled sync), to see
 * how far the nodes' views differ.
 */
public final class ExposureGetAction extends ActionType<ExposureGetAction.Response> {

    public static final String NAME = "cluster:monitor/fair_rescore/exposure/get";
    public static final ExposureGetAction INSTANCE = new ExposureGetAction();

    /** Most shops one response lists. */
    public static final int MAX_SIZE = 10_000;

    private ExposureGetAction() {
        super(NAME, Response::new);
    }

    /** What a shop list can be sorted by. */
    public enum Sort {
        EXPOSURE,
        MERIT,
        TARGET,
        RATIO,
        DEFICIT,
        BOOST,
        SHOP,
        LAST_UPDATE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code field} or {@code field:asc|desc}; the order defaults to descending (ascending for shop). */
        static Sort of(String id) {
            for (Sort s : values()) {
                if (s.id().equals(id)) {
                    return s;
                }
            }
            return null;
        }

        static List<String> ids() {
            return Arrays.stream(values()).map(Sort::id).toList();
        }
    }

    public static final class Request extends ActionRequest {
        private final String index;
        private final int size;
        private final Sort sort;
        private final boolean ascending;
        private final String rawSort; // as given, for the validation message
        private final String order; // as given after the colon, or null
        private final boolean local;

        /**
         * @param sort {@code field} or {@code field:asc|desc} (field one of {@link Sort}); null: exposure, descending
         */
        public Request(String index, int size, String sort) {
            this(index, size, sort, false);
        }

        /**
         * @param local true: answer from this node's view as it stands, without syncing with the other nodes first
         */
        public Request(String index, int size, String sort, boolean local) {
            this.local = local;
            this.index = index;
            this.size = size;
            this.rawSort = sort;
            String[] parts = sort == null ? new String[] {"exposure"} : sort.split(":", -1);
            this.sort = Sort.of(parts[0]);
            this.order = parts.length > 1 ? parts[1] : null;
            this.ascending = order != null ? "asc".equals(order) : this.sort == Sort.SHOP;
        }

        public Request(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
            this.size = in.readVInt();
            this.sort = in.readEnum(Sort.class);
            this.ascending = in.readBoolean();
            this.local = in.readBoolean();
            this.rawSort = null;
            this.order = null;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(index);
            out.writeVInt(size);
            out.writeEnum(sort);
            out.writeBoolean(ascending);
            out.writeBoolean(local);
        }

        @Override
        public ActionRequestValidationException validate() {
            ActionRequestValidationException e = null;
            if (index == null || index.isBlank()) {
                e = addValidationError("[index] is required", e);
            }
            if (size < 0 || size > MAX_SIZE) {
                e = addValidationError("[size] must be between 0 and " + MAX_SIZE + ", got [" + size + "]", e);
            }
            if (sort == null) {
                e = addValidationError(
                        "[sort] must be one of " + Sort.ids() + ", optionally with :asc or :desc, got [" + rawSort
                                + "]",
                        e);
            }
            if (order != null && order.equals("asc") == false && order.equals("desc") == false) {
                e = addValidationError("[sort] order must be [asc] or [desc], got [" + order + "]", e);
            }
            return e;
        }

        public String index() {
            return index;
        }

        public int size() {
            return size;
        }

        public Sort sort() {
            return sort;
        }

        public boolean ascending() {
            return ascending;
        }

        /** Whether to answer without syncing first. */
        public boolean local() {
            return local;
        }
    }

    /** One shop's line. */
    public record ShopLine(
            String shop,
            double exposure,
            double merit,
            double target,
            double ratio,
            double deficit,
            double boost,
            long lastUpdate) {}

    public static final class Response extends ActionResponse implements ToXContentObject {
        private final String index;
        private final String uuid;
        private final String mode;
        private final String target;
        private final double strength;
        private final String halfLife;
        private final String source;
        private final String shopField;
        private final long asOf;
        private final double totalExposure;
        private final double totalMerit;
        private final int shops;
        private final int shopsWithMerit;
        private final List<ShopLine> lines;

        public Response(
                String index,
                String uuid,
                String mode,
                String target,
                double strength,
                String halfLife,
                String source,
                String shopField,
                long asOf,
                double totalExposure,
                double totalMerit,
                int shops,
                int shopsWithMerit,
                List<ShopLine> lines) {
            this.index = index;
            this.uuid = uuid;
            this.mode = mode;
            this.target = target;
            this.strength = strength;
            this.halfLife = halfLife;
            this.source = source;
            this.shopField = shopField;
            this.asOf = asOf;
            this.totalExposure = totalExposure;
            this.totalMerit = totalMerit;
            this.shops = shops;
            this.shopsWithMerit = shopsWithMerit;
            this.lines = List.copyOf(lines);
        }

        public Response(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
            this.uuid = in.readString();
            this.mode = in.readString();
            this.target = in.readString();
            this.strength = in.readDouble();
            this.halfLife = in.readString();
            this.source = in.readString();
            this.shopField = in.readString();
            this.asOf = in.readVLong();
            this.totalExposure = in.readDouble();
            this.totalMerit = in.readDouble();
            this.shops = in.readVInt();
            this.shopsWithMerit = in.readVInt();
            this.lines = in.readList(i -> new ShopLine(
                    i.readString(),
                    i.readDouble(),
                    i.readDouble(),
                    i.readDouble(),
                    i.readDouble(),
                    i.readDouble(),
                    i.readDouble(),
                    i.readVLong()));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeString(index);
            out.writeString(uuid);
            out.writeString(mode);
            out.writeString(target);
            out.writeDouble(strength);
            out.writeString(halfLife);
            out.writeString(source);
            out.writeString(shopField);
            out.writeVLong(asOf);
            out.writeDouble(totalExposure);
            out.writeDouble(totalMerit);
            out.writeVInt(shops);
            out.writeVInt(shopsWithMerit);
            out.writeCollection(lines, (o, l) -> {
                o.writeString(l.shop());
                o.writeDouble(l.exposure());
                o.writeDouble(l.merit());
                o.writeDouble(l.target());
                o.writeDouble(l.ratio());
                o.writeDouble(l.deficit());
                o.writeDouble(l.boost());
                o.writeVLong(l.lastUpdate());
            });
        }

        public List<ShopLine> lines() {
            return lines;
        }

        public double totalExposure() {
            return totalExposure;
        }

        public double totalMerit() {
            return totalMerit;
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("index", index);
            builder.field("uuid", uuid);
            builder.startObject("settings");
            builder.field("mode", mode);
            builder.field("target", target);
            builder.field("strength", strength);
            builder.field("half_life", halfLife);
            builder.field("source", source);
            builder.field("shop_field", shopField);
            builder.endObject();
            builder.timeField("as_of_in_millis", "as_of", asOf);
            builder.startObject("totals");
            builder.field("exposure", totalExposure);
            builder.field("merit", totalMerit);
            builder.field("shops", shops);
            builder.field("shops_with_merit", shopsWithMerit);
            builder.endObject();
            builder.startArray("shops");
            for (ShopLine l : lines) {
                builder.startObject();
                builder.field("shop", l.shop());
                builder.field("exposure", l.exposure());
                builder.field("merit", l.merit());
                builder.field("target", l.target());
                number(builder, "ratio", l.ratio());
                builder.field("deficit", l.deficit());
                builder.field("boost", l.boost());
                builder.timeField("last_update_in_millis", "last_update", l.lastUpdate());
                builder.endObject();
            }
            builder.endArray();
            builder.endObject();
            return builder;
        }

        /** JSON has no infinity or NaN: a ratio without a target is null. */
        private static void number(XContentBuilder builder, String name, double value) throws IOException {
            if (Double.isFinite(value)) {
                builder.field(name, value);
            } else {
                builder.nullField(name);
            }
        }
    }
}
