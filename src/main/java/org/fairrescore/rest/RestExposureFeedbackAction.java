package org.fairrescore.rest;

import org.fairrescore.action.ExposureFeedbackAction;
import org.fairrescore.action.ExposureFeedbackAction.Kind;
import org.fairrescore.action.ExposureFeedbackAction.Line;
import org.opensearch.common.xcontent.XContentHelper;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.xcontent.MediaType;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestToXContentListener;
import org.opensearch.transport.client.node.NodeClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.opensearch.rest.RestRequest.Method.POST;

/**
 * {@code POST _plugins/_fair_rescore/exposure/{index}/_feedback} with newline-delimited JSON, one event a line:
 * {@code {"impression": {"shop": "acme", "rank": 3}}} (the front end rendered a hit of shop acme at rank 3) or
 * {@code {"click": {"shop": "acme", "rank": 3}}} (a user clicked it). Like {@code _bulk}, a line that cannot be read
 * gets its own error in the response and the other lines are applied.
 */
public final class RestExposureFeedbackAction extends BaseRestHandler {

    public static final String PATH = RestFairRescoreStatsAction.BASE + "/exposure/{index}/_feedback";

    /** Most lines one request may carry. */
    static final int MAX_LINES = 100_000;

    @Override
    public String getName() {
        return "fair_rescore_exposure_feedback_action";
    }

    /** A stream of documents, like {@code _bulk}: JSON or SMILE; other content types are refused (406). */
    @Override
    public boolean supportsContentStream() {
        return true;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(POST, PATH));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        if (request.hasContent() == false) {
            throw new IllegalArgumentException(
                    "[_feedback] requires a body: one JSON object a line, such as {\"impression\":{\"shop\":\"acme\",\"rank\":3}}");
        }
        List<Line> lines = parse(request.content(), request.getMediaType());
        ExposureFeedbackAction.Request feedback = new ExposureFeedbackAction.Request(request.param("index"), lines);
        return channel ->
                client.execute(ExposureFeedbackAction.INSTANCE, feedback, new RestToXContentListener<>(channel));
    }

    /**
     * Each non-blank line of {@code body} as an event, or as an error naming the line and the field. Lines are split on
     * the content type's stream separator, as {@code _bulk} splits them (newline for JSON, 0xFF for SMILE).
     */
    static List<Line> parse(BytesReference body, MediaType type) {
        byte separator = type.xContent().streamSeparator();
        List<Line> lines = new ArrayList<>();
        int number = 0;
        int from = 0;
        while (from < body.length()) {
            int next = body.indexOf(separator, from);
            if (next < 0) {
                next = body.length();
            }
            number++;
            BytesReference slice = body.slice(from, next - from);
            from = next + 1;
            if (blank(slice)) {
                continue;
            }
            if (lines.size() == MAX_LINES) {
                throw new IllegalArgumentException(
                        "[_feedback] takes at most " + MAX_LINES + " lines a request; split the body");
            }
            lines.add(line(slice, type, number));
        }
        return lines;
    }

    private static boolean blank(BytesReference slice) {
        for (int i = 0; i < slice.length(); i++) {
            byte b = slice.get(i);
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    static Line line(BytesReference raw, MediaType type, int number) {
        Map<String, Object> event;
        try {
            event = XContentHelper.convertToMap(raw, false, type).v2();
        } catch (RuntimeException e) {
            return Line.bad(
                    null,
                    String.format(
                            Locale.ROOT, "line %d is not a %s object: %s", number, type.subtype(), e.getMessage()));
        }
        if (event.size() != 1) {
            return Line.bad(
                    null,
                    String.format(
                            Locale.ROOT,
                            "line %d must hold one key, [impression] or [click], got %s",
                            number,
                            event.keySet()));
        }
        String key = event.keySet().iterator().next();
        Kind kind = switch (key) {
            case "impression" -> Kind.IMPRESSION;
            case "click" -> Kind.CLICK;
            default -> null;
        };
        if (kind == null) {
            return Line.bad(
                    null,
                    String.format(
                            Locale.ROOT, "line %d: unknown event [%s], expected [impression] or [click]", number, key));
        }
        if (event.get(key) instanceof Map<?, ?> == false) {
            return Line.bad(
                    kind,
                    String.format(Locale.ROOT, "line %d: [%s] must be an object with [shop] and [rank]", number, key));
        }
        Map<?, ?> body = (Map<?, ?>) event.get(key);
        for (Object field : body.keySet()) {
            if ("shop".equals(field) == false && "rank".equals(field) == false) {
                return Line.bad(
                        kind,
                        String.format(
                                Locale.ROOT,
                                "line %d: [%s] has unknown field [%s]; it takes [shop] and [rank]",
                                number,
                                key,
                                field));
            }
        }
        String shop = body.get("shop") instanceof String s ? s : null;
        if (shop == null || shop.isEmpty()) {
            return Line.bad(
                    kind,
                    String.format(
                            Locale.ROOT,
                            "line %d: [%s.shop] must be a non-empty string, got [%s]",
                            number,
                            key,
                            body.get("shop")));
        }
        Object rank = body.get("rank");
        if (rank instanceof Integer == false && rank instanceof Long == false
                || ((Number) rank).longValue() < 1
                || ((Number) rank).longValue() > Integer.MAX_VALUE) {
            return Line.bad(
                    kind,
                    String.format(
                            Locale.ROOT,
                            "line %d: [%s.rank] must be a whole number of at least 1 (the 1-based rank on the rendered page), got [%s]",
                            number,
                            key,
                            rank));
        }
        return Line.event(kind, shop, ((Number) rank).intValue());
    }
}
