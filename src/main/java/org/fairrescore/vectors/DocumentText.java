package org.fairrescore.vectors;

import org.opensearch.common.xcontent.support.XContentMapValues;

import java.util.List;
import java.util.Map;

/**
 * The text embedded for a document: the values of its text fields in {@code _source}, in field order, arrays
 * flattened, blank values skipped, joined with ". ". The ingest processor and the rescorer's on-the-fly path both
 * build it here, so a stored vector and an on-the-fly one for the same document and fields come from the same text.
 */
public final class DocumentText {

    /** Separator between field values. */
    public static final String SEPARATOR = ". ";

    private DocumentText() {}

    /** The joined text of {@code fields} in {@code source} (dotted paths allowed); empty when none has a value. */
    public static String of(Map<String, Object> source, List<String> fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            append(text, XContentMapValues.extractValue(field, source));
        }
        return text.toString();
    }

    private static void append(StringBuilder text, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                append(text, item);
            }
            return;
        }
        if (value instanceof Map<?, ?>) {
            return; // an object is no text
        }
        String s = value.toString();
        if (s.isBlank()) {
            return;
        }
        if (text.length() > 0) {
            text.append(SEPARATOR);
        }
        text.append(s);
    }
}
