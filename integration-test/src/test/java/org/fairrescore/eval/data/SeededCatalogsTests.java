package org.fairrescore.eval.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.fairrescore.demo.CatalogGenerator;
import org.junit.Test;

public class SeededCatalogsTests {

    @Test
    public void theDemoCatalogAsADataset() {
        Dataset d = SeededCatalogs.of(CatalogGenerator.DEFAULT_SEED, CatalogGenerator.DEFAULT_PRODUCTS);
        assertEquals("seed-" + CatalogGenerator.DEFAULT_SEED, d.name());
        assertEquals(2400, d.items().size());
        assertEquals(8, d.queries().size());
        assertEquals("running shoes", d.queries().get(0).text());
        assertEquals(50, d.shopTiers().values().stream().filter(Dataset.TAIL::equals).count());
        assertEquals("head", d.tier("megamart"));
        assertEquals("mid", d.tier("urbancart"));
        assertTrue(d.isProtected("stride-lab"));
        assertEquals(Integer.valueOf(1), d.shopRanks().get("megamart"));
        for (JudgedQuery q : d.queries()) {
            assertTrue(q.hasRelevant());
            assertTrue(q.gains().values().stream().allMatch(g -> g == 1.0 || g == 2.0));
        }
        Map<String, Integer> sizes = d.shopSizes();
        assertEquals(60, sizes.size());
        assertEquals(2400, sizes.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    public void consecutiveSeedsGiveDistinctCatalogs() {
        List<Dataset> ds = SeededCatalogs.of(5, 2, 600);
        assertEquals(List.of("seed-5", "seed-6"), ds.stream().map(Dataset::name).toList());
        assertNotEquals(ds.get(0).items(), ds.get(1).items());
    }
}
