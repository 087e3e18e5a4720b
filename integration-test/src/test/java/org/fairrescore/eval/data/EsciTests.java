package org.fairrescore.eval.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.fairrescore.eval.metrics.Ndcg;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The ESCI loader on small fixtures in the official layout, and the label mapping on the real shared judgments. */
public class EsciTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static final String EXAMPLES = """
        example_id,query,query_id,product_id,product_locale,esci_label,small_version,large_version,split
        0,running shoes,1,A1,us,E,1,1,test
        1,running shoes,1,A2,us,S,1,1,test
        2,running shoes,1,A3,us,C,1,1,test
        3,running shoes,1,A4,us,I,1,1,test
        4,running shoes,1,A9,us,E,1,1,test
        5,zapatillas,2,B1,es,E,1,1,test
        6,yoga mat,3,C1,us,E,1,1,train
        7,dog bed,4,D1,us,E,0,1,test
        8,"mat, thick",5,E1,us,I,1,1,test
        9,laptop bag,6,F1,us,exact,1,1,test
        10,laptop bag,6,F2,us,Substitute,1,1,test
        """;
    static final String PRODUCTS = """
        product_id,product_title,product_description,product_bullet_point,product_brand,product_color,product_locale
        A1,Trail Runner 2,"Light, fast",,Acme,red,us
        A2,Walking Shoe,,Cushioned sole,Acme,,us
        A3,Shoe Laces,,,Lacely,,us
        A4,Garden Hose,,,,,us
        B1,Zapatilla,,,Marca,,es
        C1,Yoga Mat,,,Zen,,us
        D1,Dog Bed,,,Paws,,us
        E1,Thick Mat,,,Zen,,us
        F1,Laptop Bag,,,Carry,,us
        F2,Laptop Sleeve,,,Carry,,us
        """;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    public void labelsParseFromLettersWordsAndRatings() {
        assertEquals(EsciLabel.EXACT, EsciLabel.parse("E"));
        assertEquals(EsciLabel.SUBSTITUTE, EsciLabel.parse("substitute"));
        assertEquals(EsciLabel.COMPLEMENT, EsciLabel.parse(" Complement "));
        assertEquals(EsciLabel.IRRELEVANT, EsciLabel.parse("i"));
        assertEquals(EsciLabel.EXACT, EsciLabel.parse("100.000"));
        assertEquals(EsciLabel.SUBSTITUTE, EsciLabel.parse("10.000"));
        assertEquals(EsciLabel.COMPLEMENT, EsciLabel.parse("1.000"));
        assertEquals(EsciLabel.IRRELEVANT, EsciLabel.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> EsciLabel.parse("50"));
        assertThrows(IllegalArgumentException.class, () -> EsciLabel.parse("X"));
    }

    @Test
    public void gainsDefaultToTheOfficialMappingAndAreConfigurable() {
        EsciGains g = EsciGains.OFFICIAL;
        assertEquals(1.0, g.gain(EsciLabel.EXACT), 0);
        assertEquals(0.1, g.gain(EsciLabel.SUBSTITUTE), 0);
        assertEquals(0.01, g.gain(EsciLabel.COMPLEMENT), 0);
        assertEquals(0.0, g.gain(EsciLabel.IRRELEVANT), 0);
        EsciGains swapped = EsciGains.parse("C=0.1, S=0.01");
        assertEquals(new EsciGains(1.0, 0.01, 0.1, 0.0), swapped);
        assertEquals(EsciGains.OFFICIAL, EsciGains.parse(EsciGains.OFFICIAL.toString()));
        assertThrows(IllegalArgumentException.class, () -> EsciGains.parse("E:1"));
        assertThrows(IllegalArgumentException.class, () -> EsciGains.parse("E=-1"));
    }

    @Test
    public void loadsUsTestSmallVersionWithBrandAsShop() throws IOException {
        Dataset d = EsciLoader.load(write("examples.csv", EXAMPLES), write("products.csv", PRODUCTS),
            EsciLoader.Options.defaults());
        // es (2), train (3), large-only (4) are filtered; query 5 has no relevant product and is dropped
        assertEquals(List.of("1", "6"), d.queries().stream().map(JudgedQuery::id).toList());
        JudgedQuery shoes = d.queries().get(0);
        assertEquals("running shoes", shoes.text());
        // A9 is judged but not in the product table: it cannot be retrieved and leaves the ideal ranking
        assertEquals(Map.of("A1", 1.0, "A2", 0.1, "A3", 0.01, "A4", 0.0), shoes.gains());
        JudgedQuery bags = d.queries().get(1);
        assertEquals(Map.of("F1", 1.0, "F2", 0.1), bags.gains());
        Map<String, Item> items = new java.util.HashMap<>();
        d.items().forEach(i -> items.put(i.id(), i));
        assertEquals(List.of("A1", "A2", "A3", "A4", "E1", "F1", "F2"), d.items().stream().map(Item::id).sorted().toList());
        assertEquals("Acme", items.get("A1").shop());
        assertEquals("Light, fast", items.get("A1").description());
        assertEquals("Cushioned sole", items.get("A2").description()); // bullet points when there is no description
        assertNull(items.get("A4").shop()); // no brand: a group of its own
        assertEquals("(no shop) A4", items.get("A4").group());
        // brands by size: Acme 2, Carry 2, Lacely 1, Zen 1 of 6 branded items; Acme + Carry cover half: the rest is tail
        assertEquals("head", d.tier("Acme"));
        assertEquals("head", d.tier("Carry"));
        assertEquals(Dataset.TAIL, d.tier("Lacely"));
        assertTrue(d.isProtected("Zen"));
        assertTrue(d.description(), d.description().contains("gains E=1.0,S=0.1,C=0.01,I=0.0"));
    }

    @Test
    public void optionsWidenTheSelectionAndGainsFollowTheMapping() throws IOException {
        Path examples = write("examples.csv", EXAMPLES);
        Path products = write("products.csv", PRODUCTS);
        Dataset all = EsciLoader.load(examples, products,
            new EsciLoader.Options(null, null, false, 0, EsciGains.parse("S=0.5")));
        assertEquals(List.of("1", "2", "3", "4", "6"), all.queries().stream().map(JudgedQuery::id).toList());
        assertEquals(0.5, all.queries().get(0).gain("A2"), 0);
        Dataset two = EsciLoader.load(examples, products, new EsciLoader.Options(null, null, false, 2, EsciGains.OFFICIAL));
        assertEquals(List.of("1", "2"), two.queries().stream().map(JudgedQuery::id).toList());
        assertEquals(5, two.items().size()); // only the judged products of the chosen queries
    }

    @Test
    public void jsonLinesExportsLoadTheSame() throws IOException {
        StringBuilder ex = new StringBuilder();
        for (Map<String, String> row : Tables.readAll(write("e.csv", EXAMPLES))) {
            ex.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(row)).append('\n');
        }
        StringBuilder pr = new StringBuilder();
        for (Map<String, String> row : Tables.readAll(write("p.csv", PRODUCTS))) {
            pr.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(row)).append('\n');
        }
        Dataset fromJson = EsciLoader.load(write("examples.jsonl", ex.toString()), write("products.jsonl", pr.toString()),
            EsciLoader.Options.defaults());
        Dataset fromCsv = EsciLoader.load(write("examples.csv", EXAMPLES), write("products.csv", PRODUCTS),
            EsciLoader.Options.defaults());
        assertEquals(fromCsv.items(), fromJson.items());
        assertEquals(fromCsv.queries(), fromJson.queries());
    }

    @Test
    public void aMissingColumnIsNamed() throws IOException {
        Path examples = write("examples.csv", "query_id,query,product_id,product_locale\n1,x,A1,us\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> EsciLoader.load(examples, write("products.csv", PRODUCTS), EsciLoader.Options.defaults()));
        assertTrue(e.getMessage(), e.getMessage().contains("no column \"esci_label\""));
        // filtering on the split needs the split column
        Path noSplit = write("nosplit.csv", "query_id,query,product_id,product_locale,esci_label,small_version\n1,x,A1,us,E,1\n");
        e = assertThrows(IllegalArgumentException.class,
            () -> EsciLoader.load(noSplit, write("products.csv", PRODUCTS), EsciLoader.Options.defaults()));
        assertTrue(e.getMessage(), e.getMessage().contains("no column \"split\""));
        Dataset unfiltered = EsciLoader.load(noSplit, write("products.csv", PRODUCTS),
            new EsciLoader.Options("us", null, true, 0, EsciGains.OFFICIAL));
        assertEquals(1, unfiltered.queries().size());
    }

    /** The real ESCI judgments (150 US queries) shipped beside the project in shared/data. */
    @Test
    public void realEsciJudgmentsMapToLabelsAndGains() {
        Path file = SharedData.file("esci/esci_us_judgments.json");
        assumeTrue("shared ESCI judgments not found (looked for " + file + ")", Files.isRegularFile(file));
        List<EsciJudgments.Query> queries = EsciJudgments.read(file);
        assertEquals(150, queries.size());
        Map<EsciLabel, Integer> counts = new EnumMap<>(EsciLabel.class);
        int total = 0;
        for (EsciJudgments.Query q : queries) {
            for (EsciLabel l : q.labels().values()) {
                counts.merge(l, 1, Integer::sum);
                total++;
            }
        }
        assertEquals(6678, total);
        // ratings 100 / 10 / 1 / 0 in the file
        assertEquals(Integer.valueOf(3389), counts.get(EsciLabel.EXACT));
        assertEquals(Integer.valueOf(1898), counts.get(EsciLabel.SUBSTITUTE));
        assertEquals(Integer.valueOf(305), counts.get(EsciLabel.COMPLEMENT));
        assertEquals(Integer.valueOf(1086), counts.get(EsciLabel.IRRELEVANT));

        EsciJudgments.Query first = queries.get(0);
        assertEquals("t towels kitchen", first.text());
        assertEquals(40, first.labels().size());
        assertEquals(EsciLabel.EXACT, first.labels().get("B07NCQWCQS"));
        assertEquals(EsciLabel.SUBSTITUTE, first.labels().get("B07QLRTGVQ"));
        assertEquals(EsciLabel.COMPLEMENT, first.labels().get("B0825VCHDG"));
        assertEquals(EsciLabel.IRRELEVANT, first.labels().get("B08JZ36B5B"));

        JudgedQuery judged = first.judged("q0", EsciGains.OFFICIAL);
        assertEquals(1.0, judged.gain("B07NCQWCQS"), 0);
        assertEquals(0.1, judged.gain("B07QLRTGVQ"), 0);
        assertEquals(0.01, judged.gain("B0825VCHDG"), 0);
        assertEquals(0.0, judged.gain("B08JZ36B5B"), 0);
        // the file's own order as a ranking: gains 1 1 1 0.1 1 1 1 0.01 0.01 0 in the top 10; 32 exact items make the
        // ideal top 10 all 1s (IDCG@10 = 4.54356), so NDCG@10 = 0.71674
        double[] ranked = judged.gains().values().stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(0.7167410929, Ndcg.at(10, ranked, judged.judgedGains()), 1e-9);
    }
}
