package org.fairrescore.tokenizer;

import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentLocation;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.core.xcontent.XContentParser.Token;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree reader on OpenSearch's own x-content parser (the one every node ships in {@code lib/}; the
 * plugin bundles no JSON library of its own): objects become {@link LinkedHashMap}s, arrays {@link ArrayList}s,
 * numbers {@link Long} or {@link Double}, and the rest {@link String}, {@link Boolean} or null.
 * Used for model manifests and tokenizer files, which are read once at load time.
 */
public final class Json {

    private Json() {}

    /** Reads one JSON value from {@code in}; {@code source} names the input in error messages. */
    public static Object read(InputStream in, String source) throws IOException {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(
                NamedXContentRegistry.EMPTY, DeprecationHandler.IGNORE_DEPRECATIONS, in)) {
            Token first;
            try {
                first = parser.nextToken();
            } catch (IOException | RuntimeException e) {
                throw new IOException(source + ": invalid JSON: " + e.getMessage(), e);
            }
            if (first == null) {
                throw new IOException(source + ": empty file, expected JSON");
            }
            try {
                Object value = readValue(parser, first);
                if (parser.nextToken() != null) {
                    throw new IOException(source + ": unexpected content after the JSON value at " + location(parser));
                }
                return value;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(source)) {
                    throw e;
                }
                throw new IOException(source + ": invalid JSON: " + e.getMessage() + " at " + location(parser), e);
            } catch (RuntimeException e) {
                throw new IOException(source + ": invalid JSON: " + e.getMessage() + " at " + location(parser), e);
            }
        }
    }

    private static String location(XContentParser parser) {
        XContentLocation loc = parser.getTokenLocation();
        return loc == null ? "unknown position" : "line " + loc.lineNumber + ", column " + loc.columnNumber;
    }

    private static Object readValue(XContentParser parser, Token token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                Token t;
                while ((t = parser.nextToken()) == Token.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                if (t != Token.END_OBJECT) {
                    throw new IOException("unexpected token " + t + " in object at " + location(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                Token t;
                while ((t = parser.nextToken()) != Token.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("unterminated array at " + location(parser));
                    }
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.text();
            case VALUE_NUMBER:
                return switch (parser.numberType()) {
                    case INT, LONG -> parser.longValue();
                    case BIG_INTEGER -> parser.numberValue();
                    default -> parser.doubleValue();
                };
            case VALUE_BOOLEAN:
                return parser.booleanValue();
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token + " at " + location(parser));
        }
    }
}
