package org.fairrescore.eval.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The WANDS loader on a small fixture folder in the published layout, and the real shared query file. */
public class WandsTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path fixture() throws IOException {
        Path dir = tmp.newFolder("wands").toPath();
        Files.writeString(dir.resolve("product.csv"), String.join("\n",
            "product_id\tproduct_name\tproduct_class\tcategory hierarchy\tproduct_description\tproduct_features\t"
                + "rating_count\taverage_rating\treview_count",
            "0\tsolid wood platform bed\tBeds\tFurniture / Bedroom\ta sturdy bed, easy to assemble\t"
                + "manufacturer:Oakline|color:brown\t15\t4.5\t15",
            "1\tgrey sofa\tSofas\tFurniture / Living\t\tmanufacturer:Comfy\t\t\t",
            "2\tbed frame\tBeds\tFurniture / Bedroom\tmetal\tcolor:black\t2\t4\t2",
            "3\tnight stand\tNightstands\tFurniture / Bedroom\t\t\t\t\t", ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("query.csv"), String.join("\n",
            "query_id\tquery\tquery_class", "7\tbed\tBeds", "2\tsofa\tSofas", "9\tlamp\tLamps", ""),
            StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("label.csv"), String.join("\n",
            "id\tquery_id\tproduct_id\tlabel", "0\t7\t0\tExact", "1\t7\t2\tPartial", "2\t7\t3\tIrrelevant",
            "3\t2\t1\tExact", "4\t9\t3\tIrrelevant", ""), StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    public void labelsMapToGains() {
        assertEquals(2.0, WandsLoader.gain("Exact"), 0);
        assertEquals(1.0, WandsLoader.gain("partial"), 0);
        assertEquals(0.0, WandsLoader.gain("Irrelevant"), 0);
        assertThrows(IllegalArgumentException.class, () -> WandsLoader.gain("Maybe"));
    }

    @Test
    public void loadsTheFolderWithProductClassAsShop() throws IOException {
        Dataset d = WandsLoader.load(fixture(), WandsLoader.Options.defaults());
        assertEquals(4, d.items().size());
        // sorted by id; "lamp" has no relevant product and is dropped
        assertEquals(List.of("2", "7"), d.queries().stream().map(JudgedQuery::id).toList());
        assertEquals(Map.of("0", 2.0, "2", 1.0, "3", 0.0), d.queries().get(1).gains());
        assertEquals("Beds", d.items().get(0).shop());
        assertEquals("a sturdy bed, easy to assemble", d.items().get(0).description());
        // Beds (2 of 4) covers half: head; the rest is tail
        assertEquals("head", d.tier("Beds"));
        assertEquals(Dataset.TAIL, d.tier("Sofas"));
    }

    @Test
    public void shopFromAProductFeature() throws IOException {
        Dataset d = WandsLoader.load(fixture(), new WandsLoader.Options("features:Manufacturer", 1));
        assertEquals("Oakline", d.items().get(0).shop());
        assertEquals("Comfy", d.items().get(1).shop());
        assertNull(d.items().get(2).shop());
        assertEquals(List.of("2"), d.queries().stream().map(JudgedQuery::id).toList());
    }

    @Test
    public void realWandsQueries() {
        Path file = SharedData.file("wands/query.tsv");
        assumeTrue("shared WANDS queries not found (looked for " + file + ")", Files.isRegularFile(file));
        List<WandsLoader.Query> queries = WandsLoader.readQueries(file);
        assertEquals(480, queries.size());
        assertEquals(new WandsLoader.Query("0", "salon chair", "Massage Chairs"), queries.get(0));
        assertEquals(new WandsLoader.Query("487", "rack glass", "Candle Holders"), queries.get(479));
    }
}
