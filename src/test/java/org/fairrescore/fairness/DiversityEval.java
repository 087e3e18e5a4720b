package org.fairrescore.fairness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Offline evaluation of MMR and near duplicates with the placement code ({@link QuotaReorderer#apply(WindowHits,
 * QuotaPolicy, Diversity)}), on the WANDS subset and the seeded catalogs: BM25 top 100 per query, the plugin's default
 * blend ({@code 0.2 s/(s+10) + 0.8 clip((cos - u)/(r - u), 0, 1)}), stored document vectors. Reports, over the queries,
 * intra-list similarity@10 (mean pairwise cosine of the top 10), NDCG@10 (linear gains, ideal DCG from every labelled
 * product of the query), distinct product classes@10 (WANDS) and the near-duplicate rate@10 (hits whose cosine to a
 * higher top-10 hit is at least 0.95). Not a test (no {@code Tests} suffix): run it by hand,
 * {@code java -cp target/test-classes:target/classes:<commons-math3> org.fairrescore.fairness.DiversityEval
 * /tmp/lab/data ../shared/data/wands-subset}.
 */
public final class DiversityEval {

    static final double DUPLICATE = 0.95;

    record Model(String name, String queryFile, String docFile, double u, double r) {}

    static final List<Model> MODELS = List.of(
            new Model("bge-small-en-v1.5", "bge-small-en-v15-q-inst", "bge-small-en-v15-q", 0.50, 0.81),
            new Model("all-MiniLM-L6-v2", "all-minilm-l6-v2-q", "all-minilm-l6-v2-q", 0.15, 0.72));

    /** One query's window. */
    record Query(
            String id,
            String[] ids,
            float[] blend,
            float[][] vectors,
            Map<String, Double> gains,
            int[] group,
            int[] shop) {}

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "/tmp/lab/data");
        Path wands = Path.of(args.length > 1 ? args[1] : "/work/shared/data/wands-subset");
        @SuppressWarnings("unchecked")
        Map<String, Object> bm25 = (Map<String, Object>) Json.parse(Files.readString(data.resolve("bm25.json")));
        Map<String, String> classes = new HashMap<>();
        List<String> products = Files.readAllLines(wands.resolve("products.tsv"));
        for (String line : products.subList(1, products.size())) {
            String[] f = line.split("\t", -1);
            classes.put(f[0], f[2]);
        }
        QuotaReorderer reorderer = new QuotaReorderer(new MTableCache(64));
        for (Model model : MODELS) {
            System.out.println("## " + model.name());
            for (String catalog : List.of("wands", "seeds")) {
                List<Query> queries = new ArrayList<>();
                if (catalog.equals("wands")) {
                    queries.addAll(load(data, bm25, "wands", model, wandsLabels(wands), null));
                } else {
                    for (String seed : bm25.keySet()) {
                        if (seed.startsWith("seed-")) {
                            queries.addAll(
                                    load(data, bm25, seed, model, seedLabels(data, seed), seedItems(data, seed)));
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "%n%s, %d queries, window 100%n", catalog, queries.size());
                System.out.println("| ordering | ILS@10 | NDCG@10 | classes@10 | near-dup@10 |");
                System.out.println("|---|---|---|---|---|");
                double[] base =
                        row(reorderer, queries, classes, QuotaPolicy.None.INSTANCE, Diversity.OFF, "blend order", null);
                for (double lambda : new double[] {0.8, 0.7, 0.5}) {
                    row(
                            reorderer,
                            queries,
                            classes,
                            QuotaPolicy.None.INSTANCE,
                            new Diversity(lambda, 1),
                            "MMR lambda " + lambda,
                            base);
                }
                for (double lambda : new double[] {1, 0.8, 0.7, 0.5}) {
                    row(
                            reorderer,
                            queries,
                            classes,
                            QuotaPolicy.None.INSTANCE,
                            new Diversity(lambda, DUPLICATE),
                            "MMR lambda " + lambda + " + near duplicates " + DUPLICATE,
                            base);
                }
                if (catalog.equals("wands")) {
                    labelOracle(queries, classes, base);
                }
                if (catalog.equals("seeds")) {
                    QuotaPolicy rules = new Rules(List.of(
                            new ShopCap(2, 10),
                            new GroupFairTopK(List.of("tail", "mid"), new double[] {0.3, 0.2}, 0.1)));
                    row(reorderer, queries, classes, rules, Diversity.OFF, "cap 2/10 + tail>=0.3, mid>=0.2", base);
                    row(
                            reorderer,
                            queries,
                            classes,
                            rules,
                            new Diversity(0.7, DUPLICATE),
                            "cap 2/10 + tail>=0.3, mid>=0.2 + MMR 0.7 + near duplicates",
                            base);
                }
            }
            System.out.println();
        }
    }

    /**
     * How far ILS@10 can fall inside the window at all: the window's own mean pairwise cosine, and a label oracle that
     * keeps swapping a top-10 hit for the window hit of no lower human gain that lowers ILS the most (so NDCG@10 cannot
     * fall). What a diversifier blind to the labels could at best find.
     */
    static void labelOracle(List<Query> queries, Map<String, String> classes, double[] base) {
        double window = 0;
        double[] sum = new double[4];
        for (Query q : queries) {
            int n = q.blend().length;
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            window += ils(q.vectors(), all);
            Integer[] byBlend = new Integer[n];
            for (int i = 0; i < n; i++) {
                byBlend[i] = i;
            }
            java.util.Arrays.sort(byBlend, (a, b) -> Float.compare(q.blend()[b], q.blend()[a]));
            int[] top = new int[Math.min(10, n)];
            boolean[] in = new boolean[n];
            for (int p = 0; p < top.length; p++) {
                top[p] = byBlend[p];
                in[top[p]] = true;
            }
            while (true) {
                double current = ils(q.vectors(), top);
                double bestDrop = 1e-9;
                int at = -1;
                int with = -1;
                for (int p = 0; p < top.length; p++) {
                    double gain = q.gains().getOrDefault(q.ids()[top[p]], 0.0);
                    for (int i = 0; i < n; i++) {
                        if (in[i] || q.gains().getOrDefault(q.ids()[i], 0.0) < gain) {
                            continue;
                        }
                        int old = top[p];
                        top[p] = i;
                        double drop = current - ils(q.vectors(), top);
                        top[p] = old;
                        if (drop > bestDrop) {
                            bestDrop = drop;
                            at = p;
                            with = i;
                        }
                    }
                }
                if (at < 0) {
                    break;
                }
                in[top[at]] = false;
                top[at] = with;
                in[with] = true;
            }
            double[] m = metrics(q, top, classes);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += m[i];
            }
        }
        int n = queries.size();
        System.out.printf(
                Locale.ROOT,
                "| label oracle: top-10 hits swapped for window hits of no lower gain | %.3f (%+.1f %%) | %.3f (%+.3f) |"
                        + " %.2f | %.3f |%n",
                sum[0] / n,
                100 * (sum[0] / n / base[0] - 1),
                sum[1] / n,
                sum[1] / n - base[1],
                sum[2] / n,
                sum[3] / n);
        System.out.printf(Locale.ROOT, "(the whole window's mean pairwise cosine: %.3f)%n", window / n);
    }

    private static double ils(float[][] vectors, int[] hits) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < hits.length; a++) {
            for (int b = a + 1; b < hits.length; b++) {
                sum += MmrOrder.dot(vectors[hits[a]], vectors[hits[b]]);
                pairs++;
            }
        }
        return sum / pairs;
    }

    static double[] row(
            QuotaReorderer reorderer,
            List<Query> queries,
            Map<String, String> classes,
            QuotaPolicy policy,
            Diversity diversity,
            String label,
            double[] base) {
        double[] sum = new double[6];
        int met = 0;
        for (Query q : queries) {
            WindowHits hits = WindowHits.of(q.blend()).withVectors(q.vectors());
            if (q.shop() != null) {
                hits = hits.withShopIds(q.shop()).withGroupIds(q.group());
            }
            Reordering r = reorderer.apply(hits, policy, diversity);
            met += r.quotaMet() ? 1 : 0;
            int[] top = java.util.Arrays.copyOf(r.order(), Math.min(10, r.order().length));
            double[] m = metrics(q, top, classes);
            for (int i = 0; i < m.length; i++) {
                sum[i] += m[i];
            }
        }
        int n = queries.size();
        double ils = sum[0] / n;
        double ndcg = sum[1] / n;
        String ilsText = String.format(Locale.ROOT, "%.3f", ils);
        String ndcgText = String.format(Locale.ROOT, "%.3f", ndcg);
        if (base != null) {
            ilsText += String.format(Locale.ROOT, " (%+.1f %%)", 100 * (ils / base[0] - 1));
            ndcgText += String.format(Locale.ROOT, " (%+.3f)", ndcg - base[1]);
        }
        String extra = policy instanceof QuotaPolicy.None
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; rules met in %d/%d windows, tail share@10 %.2f, mid %.2f",
                        met,
                        n,
                        sum[4] / n,
                        sum[5] / n);
        System.out.printf(
                Locale.ROOT,
                "| %s%s | %s | %s | %s | %.3f |%n",
                label,
                extra,
                ilsText,
                ndcgText,
                classes.isEmpty() || queries.get(0).shop() != null
                        ? "-"
                        : String.format(Locale.ROOT, "%.2f", sum[2] / n),
                sum[3] / n);
        return new double[] {ils, ndcg};
    }

    /** ILS@10, NDCG@10, distinct classes@10, near-duplicate rate@10, tail and mid shares@10. */
    static double[] metrics(Query q, int[] top, Map<String, String> classes) {
        int k = top.length;
        double pair = 0;
        int pairs = 0;
        int dups = 0;
        for (int a = 0; a < k; a++) {
            boolean dup = false;
            for (int b = 0; b < k; b++) {
                if (a != b) {
                    double c = MmrOrder.dot(q.vectors()[top[a]], q.vectors()[top[b]]);
                    pair += c;
                    pairs++;
                    if (b < a && c >= DUPLICATE) {
                        dup = true;
                    }
                }
            }
            dups += dup ? 1 : 0;
        }
        double dcg = 0;
        for (int p = 0; p < k; p++) {
            dcg += q.gains().getOrDefault(q.ids()[top[p]], 0.0) / (Math.log(p + 2) / Math.log(2));
        }
        List<Double> ideal = new ArrayList<>(q.gains().values());
        ideal.sort((x, y) -> Double.compare(y, x));
        double idcg = 0;
        for (int p = 0; p < Math.min(10, ideal.size()); p++) {
            idcg += ideal.get(p) / (Math.log(p + 2) / Math.log(2));
        }
        Set<String> distinct = new HashSet<>();
        int tail = 0;
        int mid = 0;
        for (int i : top) {
            distinct.add(classes.getOrDefault(q.ids()[i], q.ids()[i]));
            if (q.group() != null) {
                tail += q.group()[i] == 0 ? 1 : 0;
                mid += q.group()[i] == 1 ? 1 : 0;
            }
        }
        return new double[] {
            pair / pairs,
            idcg > 0 ? dcg / idcg : 0,
            distinct.size(),
            dups / (double) k,
            tail / (double) k,
            mid / (double) k
        };
    }

    @SuppressWarnings("unchecked")
    static List<Query> load(
            Path data,
            Map<String, Object> bm25,
            String name,
            Model model,
            Map<String, Map<String, Double>> labels,
            Map<String, String[]> items)
            throws IOException {
        String[] queryIds =
                Files.readString(data.resolve(name + "-q.ids")).trim().split("\\s+");
        String[] docIds =
                Files.readString(data.resolve(name + "-docs.ids")).trim().split("\\s+");
        float[][] qv = vectors(data.resolve(name + "-q." + model.queryFile() + ".f32"), queryIds.length);
        float[][] dv = vectors(data.resolve(name + "-docs." + model.docFile() + ".f32"), docIds.length);
        Map<String, Integer> qRow = index(queryIds);
        Map<String, Integer> dRow = index(docIds);
        List<Query> out = new ArrayList<>();
        Map<String, Object> byQuery = (Map<String, Object>) bm25.get(name);
        Map<String, Integer> shopIds = new HashMap<>();
        for (Map.Entry<String, Object> e : byQuery.entrySet()) {
            if (labels.containsKey(e.getKey()) == false) {
                continue;
            }
            List<Object> hits = (List<Object>) ((Map<String, Object>) e.getValue()).get("hits");
            int n = hits.size();
            String[] ids = new String[n];
            float[] blend = new float[n];
            float[][] vectors = new float[n][];
            int[] group = items == null ? null : new int[n];
            int[] shop = items == null ? null : new int[n];
            float[] q = qv[qRow.get(e.getKey())];
            for (int i = 0; i < n; i++) {
                List<Object> hit = (List<Object>) hits.get(i);
                ids[i] = (String) hit.get(0);
                double s = ((Number) hit.get(1)).doubleValue();
                vectors[i] = dv[dRow.get(ids[i])];
                double cos = MmrOrder.dot(q, vectors[i]);
                double semantic = Math.max(0, Math.min(1, (cos - model.u()) / (model.r() - model.u())));
                blend[i] = (float) (0.2 * s / (s + 10) + 0.8 * semantic);
                if (items != null) {
                    String[] item = items.get(ids[i]);
                    shop[i] = shopIds.computeIfAbsent(item[0], x -> shopIds.size());
                    group[i] = item[1].equals("tail") ? 0 : item[1].equals("mid") ? 1 : -1;
                }
            }
            out.add(new Query(name + "/" + e.getKey(), ids, blend, vectors, labels.get(e.getKey()), group, shop));
        }
        return out;
    }

    static Map<String, Integer> index(String[] ids) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], i);
        }
        return m;
    }

    static float[][] vectors(Path file, int rows) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int dims = buf.capacity() / 4 / rows;
        float[][] v = new float[rows][dims];
        for (float[] row : v) {
            for (int d = 0; d < dims; d++) {
                row[d] = buf.getFloat();
            }
        }
        return v;
    }

    static Map<String, Map<String, Double>> wandsLabels(Path wands) throws IOException {
        Map<String, Map<String, Double>> g = new HashMap<>();
        List<String> lines = Files.readAllLines(wands.resolve("labels.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            double gain = switch (f[2]) {
                case "Exact" -> 2;
                case "Partial" -> 1;
                default -> 0;
            };
            g.computeIfAbsent(f[0], x -> new HashMap<>()).put(f[1], gain);
        }
        return g;
    }

    static Map<String, Map<String, Double>> seedLabels(Path data, String seed) throws IOException {
        Map<String, Map<String, Double>> g = new HashMap<>();
        List<String> lines = Files.readAllLines(data.resolve(seed + "-qrels.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            g.computeIfAbsent(f[0], x -> new HashMap<>()).put(f[2], Double.parseDouble(f[3]));
        }
        return g;
    }

    /** Shop and tier of each seeded item. */
    static Map<String, String[]> seedItems(Path data, String seed) throws IOException {
        Map<String, String[]> m = new HashMap<>();
        List<String> lines = Files.readAllLines(data.resolve(seed + "-items.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            m.put(f[0], new String[] {f[3], f[4]});
        }
        return m;
    }

    /** A minimal JSON reader (objects, arrays, strings, numbers, literals), enough for the BM25 run file. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            return new Json(s).value();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String key = (String) value();
                    ws();
                    i++; // :
                    m.put(key, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (s.charAt(i) != '"') {
                    char ch = s.charAt(i++);
                    if (ch == '\\') {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case 'u' -> {
                                b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                                i += 4;
                            }
                            default -> b.append(e);
                        }
                    } else {
                        b.append(ch);
                    }
                }
                i++;
                return b.toString();
            }
            int start = i;
            while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String token = s.substring(start, i);
            return switch (token) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> Double.parseDouble(token);
            };
        }
    }
}
