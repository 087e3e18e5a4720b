package org.fairrescore.eval.data;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fairrescore.demo.CatalogGenerator;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The WANDS subset loader on a tiny fixture folder in the shared layout, its seeded shops, and the real files. */
public class WandsSubsetTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Products out of id order; query 30 has no relevant label; a label names a product that is not there. */
    public static Path fixture(TemporaryFolder tmp) throws IOException {
        Path dir = tmp.newFolder("wands-subset").toPath();
        Files.writeString(dir.resolve("products.tsv"), String.join("\n",
            "product_id\tproduct_name\tproduct_class\tcategory_hierarchy",
            "13\tking tufted low profile standard bed\tBeds\tFurniture / Bedroom Furniture / Beds & Headboards / Beds",
            "4\tbaldwin prestige alcott passage knob\tDoor Knobs\tHome Improvement / Doors & Door Hardware",
            "100\tsolid wood poster frame\tBeds\tFurniture / Bedroom Furniture / Beds",
            "7\tgrey linen sofa\tSofas\t",
            "55\tbrass wall sconce\tWall Sconces\tLighting / Wall Lights", ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("queries.tsv"), String.join("\n",
            "query_id\tquery\tquery_class", "20\tsconce\tWall Sconces", "10\tking poster bed\tBeds", "30\tlamp\t", ""),
            StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("labels.tsv"), String.join("\n",
            "query_id\tproduct_id\tlabel",
            "10\t13\tPartial", "10\t100\tExact", "10\t4\tIrrelevant", "10\t999\tExact",
            "20\t55\tPartial", "20\t55\tExact", "20\t7\tIrrelevant", "20\t7\tIrrelevant",
            "30\t7\tIrrelevant", "77\t13\tExact", ""), StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    public void loadsProductsQueriesAndLabels() throws IOException {
        WandsSubsetLoader.Subset s = WandsSubsetLoader.load(fixture(tmp));
        // products in numeric id order, with the category hierarchy
        assertEquals(List.of("4", "7", "13", "55", "100"), s.products().stream().map(WandsSubsetLoader.Product::id)
            .toList());
        WandsSubsetLoader.Product bed = s.products().get(2);
        assertEquals("king tufted low profile standard bed", bed.name());
        assertEquals("Beds", bed.productClass());
        assertEquals("Furniture / Bedroom Furniture / Beds & Headboards / Beds", bed.category());
        assertEquals("", s.products().get(1).category());
        // queries in numeric id order; "lamp" has no relevant product and is dropped; query 77 is not in queries.tsv
        Dataset d = s.dataset();
        assertEquals(WandsSubsetLoader.NAME, d.name());
        assertEquals(List.of("10", "20"), d.queries().stream().map(JudgedQuery::id).toList());
        assertEquals("king poster bed", d.queries().get(0).text());
        assertEquals(1, s.queriesDropped());
        // the label of product 999 (not in products.tsv) is left out of the ideal DCG
        Map<String, Double> bedGains = new LinkedHashMap<>();
        bedGains.put("13", 1.0);
        bedGains.put("100", 2.0);
        bedGains.put("4", 0.0);
        assertEquals(bedGains, d.queries().get(0).gains());
        assertEquals(1, s.labelsMissing());
        // a repeated pair keeps its last label
        assertEquals(2.0, d.queries().get(1).gain("55"), 0);
        assertEquals(9, s.labels());
        assertEquals(2, s.repeated());
        assertEquals(1, s.conflicting());
        // the items carry the name as title and the seeded shop
        assertEquals(5, d.items().size());
        assertEquals(bed.name(), d.items().get(2).title());
        assertEquals(bed.shop(), d.items().get(2).shop());
        String description = s.description();
        assertTrue(description, description.contains("5 real Wayfair products, 2 real queries"));
        assertTrue(description, description.contains("2 rows repeat a pair, 1 of them with another label"));
        assertTrue(description, description.contains("seeded Zipf shops (seed 20240611"));
    }

    @Test
    public void shopsAreSeededZipfAndDeterministic() throws IOException {
        Path dir = fixture(tmp);
        WandsSubsetLoader.Subset a = WandsSubsetLoader.load(dir);
        WandsSubsetLoader.Subset b = WandsSubsetLoader.load(dir);
        assertEquals(a.products(), b.products());
        assertTrue(a.products().stream().allMatch(p -> p.shop().matches("shop-\\d{3}")));

        // 12 products, 4 shops: Zipf sizes 6, 3, 2, 1 (1/r, largest remainder), dealt in a seeded shuffle
        String[] shops = WandsSubsetLoader.assignShops(12, 4, 5);
        assertEquals(List.of(6L, 3L, 2L, 1L), List.of("shop-1", "shop-2", "shop-3", "shop-4").stream()
            .map(name -> Arrays.stream(shops).filter(name::equals).count()).toList());
        assertArrayEquals(shops, WandsSubsetLoader.assignShops(12, 4, 5));
        assertFalse(Arrays.equals(shops, WandsSubsetLoader.assignShops(12, 4, 6)));
        // names are zero-padded to the number of shops
        assertEquals("shop-001", WandsSubsetLoader.assignShops(1, 200, 1)[0]);
        assertThrows(IllegalArgumentException.class, () -> WandsSubsetLoader.assignShops(3, 0, 1));

        // tiers: the largest shops listing half of the products are head, the rest the long tail
        Dataset d = WandsSubsetLoader.load(dir, 3, 9).dataset();
        assertEquals("head", d.tier("shop-1"));
        assertEquals(Dataset.TAIL, d.tier("shop-3"));
    }

    @Test
    public void missingColumnsAndFilesFailLoudly() throws IOException {
        Path dir = fixture(tmp);
        Files.writeString(dir.resolve("products.tsv"), "product_id\tproduct_name\tproduct_class\n1\tbed\tBeds\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WandsSubsetLoader.load(dir));
        assertTrue(e.getMessage(), e.getMessage().contains("category_hierarchy"));
        Path empty = tmp.newFolder("empty").toPath();
        assertThrows(UncheckedIOException.class, () -> WandsSubsetLoader.load(empty));
    }

    @Test
    public void theSharedSubset() {
        Path dir = SharedData.file("wands-subset");
        assumeTrue("shared WANDS subset not found (looked for " + dir + ")", Files.isDirectory(dir));
        WandsSubsetLoader.Subset s = WandsSubsetLoader.load(dir);
        assertEquals(6482, s.products().size());
        assertEquals(20, s.dataset().queries().size());
        assertEquals(3401, s.labels());
        assertEquals(0, s.labelsMissing());
        assertEquals(0, s.queriesDropped());
        assertEquals("king poster bed", s.dataset().queries().get(0).text());
        Map<String, Integer> sizes = s.dataset().shopSizes();
        assertEquals(WandsSubsetLoader.SHOPS, sizes.size());
        int[] zipf = CatalogGenerator.zipfSizes(6482, WandsSubsetLoader.SHOPS, 1.0);
        assertEquals(zipf[0], (int) sizes.values().iterator().next());
        assertEquals(zipf[0], (int) sizes.get("shop-001"));
    }
}
