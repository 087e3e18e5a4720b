package org.fairrescore.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streams the rows of a table file as column-name to value maps, so multi-gigabyte files never sit in memory.
 *
 * <ul>
 *   <li>{@code .jsonl}, {@code .ndjson}: one JSON object per line; scalar values as text, arrays joined by spaces.</li>
 *   <li>anything else: delimited text with a header row; the delimiter is a tab when the header holds one (WANDS'
 *       {@code .csv} files are tab-separated), a comma otherwise. Fields may be quoted RFC 4180 style (a field that
 *       starts with {@code "}; {@code ""} inside is a quote; quoted fields may span lines), as pandas writes them.</li>
 *   <li>a {@code .gz} suffix is decompressed on the fly.</li>
 * </ul>
 * Parquet (how ESCI is published) is not read: convert once, e.g. {@code pandas.read_parquet(f).to_csv(out,
 * index=False)}.
 */
public final class Tables {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tables() {}

    /** Calls {@code row} for every data row of the file. */
    public static void forEach(Path file, Consumer<Map<String, String>> row) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String bare = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        if (bare.endsWith(".parquet")) {
            throw new IllegalArgumentException(file + " is Parquet, which this loader does not read; convert it once, "
                + "e.g. python3 -c \"import pandas as p; p.read_parquet('" + file.getFileName() + "').to_csv('"
                + bare.replace(".parquet", ".csv") + "', index=False)\"");
        }
        try (BufferedReader reader = open(file, name.endsWith(".gz"))) {
            if (bare.endsWith(".jsonl") || bare.endsWith(".ndjson")) {
                readJsonLines(file, reader, row);
            } else {
                readDelimited(file, reader, row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** All rows of a small file. */
    public static List<Map<String, String>> readAll(Path file) {
        List<Map<String, String>> rows = new ArrayList<>();
        forEach(file, rows::add);
        return rows;
    }

    private static BufferedReader open(Path file, boolean gzip) throws IOException {
        if (Files.isRegularFile(file) == false) {
            throw new IOException("no such file");
        }
        InputStream in = Files.newInputStream(file);
        if (gzip) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static void readJsonLines(Path file, BufferedReader reader, Consumer<Map<String, String>> row)
        throws IOException {
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + number + ": not JSON: " + e.getMessage(), e);
            }
            if (node.isObject() == false) {
                throw new IllegalArgumentException(file + " line " + number + ": expected a JSON object");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                values.put(e.getKey(), text(e.getValue()));
            }
            row.accept(values);
        }
    }

    private static String text(JsonNode v) {
        if (v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(text(e)));
            return String.join(" ", parts);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static void readDelimited(Path file, BufferedReader reader, Consumer<Map<String, String>> row)
        throws IOException {
        String first = reader.readLine();
        if (first == null) {
            throw new IllegalArgumentException(file + " is empty: expected a header row");
        }
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        char delimiter = first.indexOf('\t') >= 0 ? '\t' : ',';
        Records records = new Records(reader, delimiter);
        List<String> header = records.parse(first);
        int number = 1;
        List<String> fields;
        while ((fields = records.next()) != null) {
            number++;
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                continue; // blank line
            }
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s record %d has %d fields, the header %d (%s)", file, number, fields.size(), header.size(),
                    delimiter == '\t' ? "tab-separated" : "comma-separated"));
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), fields.get(i));
            }
            row.accept(values);
        }
    }

    /** Splits delimited records; a quoted field may continue on the next physical line. */
    static final class Records {
        private final BufferedReader reader;
        private final char delimiter;

        Records(BufferedReader reader, char delimiter) {
            this.reader = reader;
            this.delimiter = delimiter;
        }

        /** The next record, or null at the end. */
        List<String> next() throws IOException {
            String line = reader.readLine();
            return line == null ? null : parse(line);
        }

        List<String> parse(String firstLine) throws IOException {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            String line = firstLine;
            int i = 0;
            boolean quoted = false;
            boolean fieldStart = true;
            while (true) {
                if (i == line.length()) {
                    if (quoted) {
                        String more = reader.readLine();
                        if (more == null) {
                            throw new IllegalArgumentException("unterminated quoted field: " + field);
                        }
                        field.append('\n');
                        line = more;
                        i = 0;
                        continue;
                    }
                    fields.add(field.toString());
                    return fields;
                }
                char c = line.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                    fieldStart = true;
                    continue;
                } else if (c == '"' && fieldStart) {
                    quoted = true;
                } else {
                    field.append(c);
                }
                fieldStart = false;
            }
        }
    }
}
