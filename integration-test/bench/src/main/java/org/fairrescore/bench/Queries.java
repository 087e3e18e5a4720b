package org.fairrescore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The real query strings: ESCI (Amazon, 150) and WANDS (Wayfair, 480), de-duplicated, in file order. */
final class Queries {

    private Queries() {}

    static List<String> esci(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode q : root.get("querySetQueries")) {
            out.add(q.get("queryText").asText().trim());
        }
        return out;
    }

    static List<String> wands(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 1; i < lines.size(); i++) { // header: query_id, query, query_class
            String[] cols = lines.get(i).split("\t");
            if (cols.length >= 2 && cols[1].isBlank() == false) {
                out.add(cols[1].trim());
            }
        }
        return out;
    }

    /** Unique non-empty strings, first occurrence wins. */
    static List<String> unique(List<String> a, List<String> b) {
        Set<String> set = new LinkedHashSet<>();
        for (String q : a) {
            if (q.isBlank() == false) {
                set.add(q);
            }
        }
        for (String q : b) {
            if (q.isBlank() == false) {
                set.add(q);
            }
        }
        return new ArrayList<>(set);
    }
}
