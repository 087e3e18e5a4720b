package org.fairrescore.embed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree reader on Jackson's streaming parser: objects become {@link LinkedHashMap}s, arrays
 * {@link ArrayList}s, numbers {@link Long} or {@link Double}, and the rest {@link String}, {@link Boolean} or null.
 * Used for model manifests and tokenizer files, which are read once at load time.
 */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(64 * 1024 * 1024).build())
        .build();

    private Json() {}

    /** Reads one JSON value from {@code in}; {@code source} names the input in error messages. */
    static Object read(InputStream in, String source) throws IOException {
        try (JsonParser parser = FACTORY.createParser(in)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException(source + ": empty file, expected JSON");
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new IOException(source + ": unexpected content after the JSON value at " + location(parser));
            }
            return value;
        } catch (JsonParseException e) {
            throw new IOException(source + ": invalid JSON: " + e.getOriginalMessage() + " at " + location(e.getProcessor()), e);
        }
    }

    private static String location(JsonParser parser) {
        if (parser == null) {
            return "unknown position";
        }
        var loc = parser.currentLocation();
        return "line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken t;
                while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                if (t != JsonToken.END_OBJECT) {
                    throw new IOException("unexpected token " + t + " in object at " + location(parser));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new IOException("unterminated array at " + location(parser));
                    }
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token + " at " + location(parser));
        }
    }
}
