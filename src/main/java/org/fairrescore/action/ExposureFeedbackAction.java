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
import java.util.List;

import static org.opensearch.action.ValidateActions.addValidationError;

/**
 * {@code POST _plugins/_fair_rescore/exposure/{index}/_feedback}: what a front end rendered and what users clicked,
 * one event a line; for indices with {@code index.fair_rescore.exposure.source: feedback}. Applied to the ledger of the
 * node that receives it (the others copy it at their next sync). A bad line gets its own error; the others are applied.
 */
public final class ExposureFeedbackAction extends ActionType<ExposureFeedbackAction.Response> {

    public static final String NAME = "cluster:admin/fair_rescore/exposure/feedback";
    public static final ExposureFeedbackAction INSTANCE = new ExposureFeedbackAction();

    private ExposureFeedbackAction() {
        super(NAME, Response::new);
    }

    /** An event kind: the line's one key. */
    public enum Kind {
        IMPRESSION("impression"),
        CLICK("click");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * One line of the body: an event, or why it is not one.
     *
     * @param kind  null when the line could not be read (then {@code error} says why)
     * @param error why the line was not applied, or null
     */
    public record Line(Kind kind, String shop, int rank, String error) {
        public static Line event(Kind kind, String shop, int rank) {
            return new Line(kind, shop, rank, null);
        }

        public static Line bad(Kind kind, String error) {
            return new Line(kind, null, 0, error);
        }
    }

    public static final class Request extends ActionRequest {
        private final String index;
        private final List<Line> lines;

        public Request(String index, List<Line> lines) {
            this.index = index;
            this.lines = List.copyOf(lines);
        }

        public Request(StreamInput in) throws IOException {
            super(in);
            this.index = in.readString();
            this.lines = in.readList(i -> new Line(
                    i.readBoolean() ? i.readEnum(Kind.class) : null,
                    i.readOptionalString(),
                    i.readVInt(),
                    i.readOptionalString()));
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            out.writeString(index);
            out.writeCollection(lines, (o, l) -> {
                o.writeBoolean(l.kind() != null);
                if (l.kind() != null) {
                    o.writeEnum(l.kind());
                }
                o.writeOptionalString(l.shop());
                o.writeVInt(Math.max(0, l.rank()));
                o.writeOptionalString(l.error());
            });
        }

        @Override
        public ActionRequestValidationException validate() {
            ActionRequestValidationException e = null;
            if (index == null || index.isBlank()) {
                e = addValidationError("[index] is required", e);
            }
            if (lines.isEmpty()) {
                e = addValidationError(
                        "the body holds no feedback line: one JSON object a line, such as "
                                + "{\"impression\":{\"shop\":\"acme\",\"rank\":3}} or {\"click\":{\"shop\":\"acme\",\"rank\":3}}",
                        e);
            }
            return e;
        }

        public String index() {
            return index;
        }

        public List<Line> lines() {
            return lines;
        }
    }

    /** Per line, in order: applied, or its error; like {@code _bulk}, {@code errors} says whether any line failed. */
    public static final class Response extends ActionResponse implements ToXContentObject {
        private final long tookMillis;
        private final List<Line> lines;

        public Response(long tookMillis, List<Line> lines) {
            this.tookMillis = tookMillis;
            this.lines = List.copyOf(lines);
        }

        public Response(StreamInput in) throws IOException {
            super(in);
            this.tookMillis = in.readVLong();
            this.lines = new Request(in).lines;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeVLong(tookMillis);
            new Request("-", lines).writeTo(out);
        }

        public List<Line> lines() {
            return lines;
        }

        public boolean errors() {
            return lines.stream().anyMatch(l -> l.error() != null);
        }

        @Override
        public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
            builder.startObject();
            builder.field("took", tookMillis);
            builder.field("errors", errors());
            builder.startArray("items");
            for (Line l : lines) {
                builder.startObject();
                builder.startObject(l.kind() == null ? "unknown" : l.kind().id());
                if (l.error() == null) {
                    builder.field("status", 200);
                    builder.field("result", "applied");
                } else {
                    builder.field("status", 400);
                    builder.startObject("error");
                    builder.field("type", "illegal_argument_exception");
                    builder.field("reason", l.error());
                    builder.endObject();
                }
                builder.endObject();
                builder.endObject();
            }
            builder.endArray();
            builder.endObject();
            return builder;
        }
    }
}
