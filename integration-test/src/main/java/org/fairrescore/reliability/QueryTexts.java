package org.fairrescore.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real shop queries for the load run: ESCI's 150 US queries ({@code esci/esci_us_queryset.json}) and WANDS' 480
 * ({@code wands/query.tsv}) from the team's shared data folder. Without it (a clean CI clone) a fixed list of
 * catalogue-like queries stands in, and the run says so.
 */
public record QueryTexts(List<String> texts, String source) {

    private static final List<String> FALLBACK = List.of("running shoes", "waterproof hiking boots", "socks for men", "kids sandals",
        "leather sneakers", "rain jacket for women", "trail backpack", "water bottle", "barefoot shoes", "winter boots");

    public static QueryTexts load(Path configured) throws IOException {
        Path dir = configured;
        if (dir == null) {
            for (Path candidate : List.of(Path.of("../shared/data"), Path.of("../../shared/data"), Path.of("shared/data"))) {
                if (Files.isDirectory(candidate)) {
                    dir = candidate;
                    break;
                }
            }
        }
        List<String> texts = new ArrayList<>();
        List<String> from = new ArrayList<>();
        if (dir != null) {
            Path esci = dir.resolve("esci/esci_us_queryset.json");
            if (Files.isRegularFile(esci)) {
                JsonNode set = Http.JSON.readTree(esci.toFile());
                int before = texts.size();
                set.path("querySetQueries").forEach(q -> texts.add(q.path("queryText").asText()));
                from.add("ESCI " + (texts.size() - before));
            }
            Path wands = dir.resolve("wands/query.tsv");
            if (Files.isRegularFile(wands)) {
                int before = texts.size();
                List<String> lines = Files.readAllLines(wands);
                for (String line : lines.subList(1, lines.size())) {
                    String[] cols = line.split("\t");
                    if (cols.length >= 2 && !cols[1].isBlank()) {
                        texts.add(cols[1].strip());
                    }
                }
                from.add("WANDS " + (texts.size() - before));
            }
        }
        texts.removeIf(t -> t.isBlank() || t.length() > 4096);
        if (texts.isEmpty()) {
            Log.line("  note: no shared data folder with ESCI/WANDS queries (looked for ../shared/data; --shared-data DIR): "
                + "the load run uses %d built-in catalogue queries", FALLBACK.size());
            return new QueryTexts(FALLBACK, "built-in " + FALLBACK.size());
        }
        return new QueryTexts(List.copyOf(texts), String.join(" + ", from));
    }
}
