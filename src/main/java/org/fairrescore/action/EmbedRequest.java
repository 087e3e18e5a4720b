package org.fairrescore.action;

import org.fairrescore.model.TextRole;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Texts to run through one of the node's models: {@code {"text": "..."}} or {@code {"texts": ["...", ...]}}, with
 * optional {@code "model": "<id>"} (default: the node's default model) and {@code "as": "query" | "document"} (default
 * {@code query}: the model's query prefix is applied, as the rescorer applies it to {@code query_text}; {@code document}
 * applies the document prefix, as the ingest processor and on-the-fly vectors do). Each text must be a non-blank string
 * of at most {@link #MAX_TEXT_CHARS} characters (the limit of a clause's {@code query_text}); at most
 * {@link #MAX_TEXTS} texts per request.
 */
public final class EmbedRequest extends ActionRequest {

    public static final String TEXT = "text";
    public static final String TEXTS = "texts";
    public static final String MODEL = "model";
    public static final String AS = "as";
    public static final int MAX_TEXT_CHARS = FairSemanticRescorerBuilder.MAX_QUERY_TEXT_CHARS;
    public static final int MAX_TEXTS = 100;

    private final List<String> texts;
    private final boolean array;
    private final boolean includeVector;
    private final String model;
    private final TextRole role;

    /**
     * @param texts         the texts, in order
     * @param array         whether they came as {@code texts} (errors then name {@code texts[i]}) or as one {@code text}
     * @param includeVector false skips inference: tokens only
     * @param model         the model id, or null for the node's default model
     * @param role          whether the texts are embedded as queries or as documents (which prefix applies)
     */
    public EmbedRequest(List<String> texts, boolean array, boolean includeVector, String model, TextRole role) {
        this.texts = List.copyOf(Objects.requireNonNull(texts));
        this.array = array;
        this.includeVector = includeVector;
        this.model = model;
        this.role = Objects.requireNonNull(role);
    }

    /** Query texts for the node's default model. */
    public EmbedRequest(List<String> texts, boolean array, boolean includeVector) {
        this(texts, array, includeVector, null, TextRole.QUERY);
    }

    public EmbedRequest(StreamInput in) throws IOException {
        super(in);
        this.texts = in.readStringList();
        this.array = in.readBoolean();
        this.includeVector = in.readBoolean();
        this.model = in.readOptionalString();
        this.role = in.readEnum(TextRole.class);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeStringCollection(texts);
        out.writeBoolean(array);
        out.writeBoolean(includeVector);
        out.writeOptionalString(model);
        out.writeEnum(role);
    }

    /** The model id asked for, or null for the node's default model. */
    public String model() {
        return model;
    }

    public TextRole role() {
        return role;
    }

    public List<String> texts() {
        return texts;
    }

    public boolean array() {
        return array;
    }

    public boolean includeVector() {
        return includeVector;
    }

    /** What is wrong with this request, one message per problem, each naming the field; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (array && texts.isEmpty()) {
            problems.add("[" + TEXTS + "] must hold at least one text");
        }
        if (array == false && texts.size() != 1) {
            problems.add("[" + TEXT + "] must be one string");
        }
        if (texts.size() > MAX_TEXTS) {
            problems.add(String.format(
                    Locale.ROOT,
                    "[%s] holds %d texts; at most %d are accepted per request",
                    TEXTS,
                    texts.size(),
                    MAX_TEXTS));
        }
        for (int i = 0; i < texts.size(); i++) {
            String field = array ? TEXTS + "][" + i : TEXT;
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                problems.add("[" + field + "] must be a non-empty string");
            } else if (text.length() > MAX_TEXT_CHARS) {
                problems.add(String.format(
                        Locale.ROOT,
                        "[%s] is %d characters long; at most %d are accepted: shorten it",
                        field,
                        text.length(),
                        MAX_TEXT_CHARS));
            }
        }
        return problems;
    }

    @Override
    public ActionRequestValidationException validate() {
        ActionRequestValidationException e = null;
        for (String problem : problems()) {
            e = org.opensearch.action.ValidateActions.addValidationError(problem, e);
        }
        return e;
    }

    /**
     * Parses a request body. Every mistake is an {@link IllegalArgumentException} (HTTP 400) whose message names the
     * field: a missing text, a wrong type, an empty or over-long text, an unknown field.
     */
    public static EmbedRequest parse(XContentParser parser, boolean includeVector) throws IOException {
        XContentParser.Token token = parser.currentToken() == null ? parser.nextToken() : parser.currentToken();
        if (token != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[_embed] the request body must be an object with [" + TEXT + "] or ["
                    + TEXTS + "], got " + describe(token));
        }
        String text = null;
        List<String> texts = null;
        String model = null;
        TextRole role = TextRole.QUERY;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            String field = parser.currentName();
            token = parser.nextToken();
            switch (field) {
                case TEXT -> {
                    if (token != XContentParser.Token.VALUE_STRING) {
                        throw new IllegalArgumentException("[" + TEXT + "] must be a string, got " + describe(token));
                    }
                    text = parser.text();
                }
                case TEXTS -> {
                    if (token != XContentParser.Token.START_ARRAY) {
                        throw new IllegalArgumentException(
                                "[" + TEXTS + "] must be an array of strings, got " + describe(token));
                    }
                    texts = new ArrayList<>();
                    while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
                        if (token != XContentParser.Token.VALUE_STRING) {
                            throw new IllegalArgumentException(
                                    "[" + TEXTS + "][" + texts.size() + "] must be a string, got " + describe(token));
                        }
                        texts.add(parser.text());
                    }
                }
                case MODEL -> {
                    if (token != XContentParser.Token.VALUE_STRING
                            || parser.text().isBlank()) {
                        throw new IllegalArgumentException(
                                "[" + MODEL + "] must be a model id, got " + describe(token));
                    }
                    model = parser.text();
                }
                case AS -> {
                    if (token != XContentParser.Token.VALUE_STRING) {
                        throw new IllegalArgumentException(
                                "[" + AS + "] must be [query] or [document], got " + describe(token));
                    }
                    try {
                        role = TextRole.of(parser.text());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("[" + AS + "] " + e.getMessage(), e);
                    }
                }
                default ->
                    throw new IllegalArgumentException("[_embed] unknown field [" + field + "]: the body takes [" + TEXT
                            + "] (a string) or [" + TEXTS + "] (an array of strings), " + "and optionally [" + MODEL
                            + "] and [" + AS + "]");
            }
        }
        if (text != null && texts != null) {
            throw new IllegalArgumentException("[_embed] takes [" + TEXT + "] or [" + TEXTS + "], not both");
        }
        if (text == null && texts == null) {
            throw new IllegalArgumentException(
                    "[_embed] requires [" + TEXT + "]: the text to embed (or [" + TEXTS + "]: an array of them)");
        }
        EmbedRequest request = texts != null
                ? new EmbedRequest(texts, true, includeVector, model, role)
                : new EmbedRequest(List.of(text), false, includeVector, model, role);
        List<String> problems = request.problems();
        if (problems.isEmpty() == false) {
            throw new IllegalArgumentException(problems.get(0));
        }
        return request;
    }

    private static String describe(XContentParser.Token token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_BOOLEAN -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "[" + token + "]";
        };
    }
}
