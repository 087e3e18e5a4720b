package org.fairrescore.demo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;

public class CatalogGeneratorTests {

    private static final Catalog CATALOG = CatalogGenerator.defaultCatalog();
    /** Seeds the lexical properties must hold for, not only the default one. */
    private static final long[] SEEDS = {CatalogGenerator.DEFAULT_SEED, 1, 2, 3};

    // ---------------------------------------------------------------- determinism and size

    @Test
    public void sameSeedGivesTheSameCatalog() {
        Catalog again = new CatalogGenerator(CatalogGenerator.DEFAULT_SEED).generate();
        assertEquals(CATALOG.products(), again.products());
        assertEquals(CATALOG.shops(), again.shops());
        assertEquals(CATALOG.queries(), again.queries());
        assertEquals(CATALOG, again);
    }

    @Test
    public void differentSeedsGiveDifferentCatalogs() {
        Catalog other = new CatalogGenerator(CatalogGenerator.DEFAULT_SEED + 1).generate();
        assertEquals(CATALOG.products().size(), other.products().size());
        long sameTitle = 0;
        for (int i = 0; i < CATALOG.products().size(); i++) {
            if (CATALOG.products().get(i).title().equals(other.products().get(i).title())) {
                sameTitle++;
            }
        }
        assertTrue("titles by position mostly differ, " + sameTitle + " equal", sameTitle < CATALOG.products().size() / 20);
    }

    @Test
    public void atLeastTwoThousandProductsWithUniqueWellFormedIds() {
        List<Product> products = CATALOG.products();
        assertEquals(CatalogGenerator.DEFAULT_PRODUCTS, products.size());
        assertTrue(products.size() >= 2000);
        Set<String> ids = new HashSet<>();
        for (Product p : products) {
            assertTrue(p.id(), p.id().matches("p\\d{5}"));
            assertTrue("duplicate id " + p.id(), ids.add(p.id()));
        }
        assertEquals("p00001", products.get(0).id());
    }

    @Test
    public void productCountIsHonoured() {
        assertEquals(3000, new CatalogGenerator(7, 3000).generate().products().size());
        assertThrows(IllegalArgumentException.class, () -> new CatalogGenerator(7, 100));
    }

    @Test
    public void everyProductIsComplete() {
        Map<String, Vocabulary.Concept> concepts = concepts();
        for (Product p : CATALOG.products()) {
            assertFalse(p.id(), p.title().isBlank());
            assertFalse(p.id(), p.description().isBlank());
            assertFalse(p.id(), p.category().isBlank());
            Vocabulary.Concept c = concepts.get(p.concept());
            assertEquals(p.id(), c.group(), p.intent());
            assertEquals(p.id(), c.category(), p.category());
            assertTrue(p.id() + " price " + p.price(), p.price() >= c.minPrice() && p.price() < c.maxPrice() + 1);
            assertEquals(p.id(), Math.round(p.price() * 100) / 100.0, p.price(), 0);
            Map<String, Object> source = p.toSource();
            assertEquals(p.shop(), source.get("shop"));
            assertEquals(p.price(), source.get("price"));
            assertEquals(p.concept(), source.get("concept"));
        }
    }

    // ---------------------------------------------------------------- shops

    @Test
    public void atLeastFiftyShopsAllSelling() {
        assertTrue(CATALOG.shops().size() >= 50);
        Map<String, Integer> perShop = CATALOG.productsPerShop();
        assertEquals(CATALOG.shops().size(), perShop.size());
        for (Shop shop : CATALOG.shops()) {
            assertEquals(shop.name(), shop.size(), (int) perShop.get(shop.name()));
            assertTrue(shop.name(), shop.size() > 0);
        }
        assertEquals(CATALOG.products().size(), perShop.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(CATALOG.shops().size(), CATALOG.shops().stream().map(Shop::name).distinct().count());
    }

    @Test
    public void shopSizesAreZipfShaped() {
        int[] sizes = CATALOG.shops().stream().mapToInt(Shop::size).toArray();
        for (int i = 1; i < sizes.length; i++) {
            assertTrue("size rises at rank " + (i + 1), sizes[i] <= sizes[i - 1]);
        }
        int[] sorted = sizes.clone();
        Arrays.sort(sorted);
        int median = sorted[sorted.length / 2];
        assertTrue("top " + sizes[0] + " vs median " + median, sizes[0] >= 15 * median);
        int top3 = sizes[0] + sizes[1] + sizes[2];
        assertTrue("top 3 shops hold " + top3, top3 >= 0.35 * CATALOG.products().size());
        // Least-squares slope of log(size) over log(rank) is the Zipf exponent, negated.
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = sizes.length;
        for (int i = 0; i < n; i++) {
            double x = Math.log(i + 1);
            double y = Math.log(sizes[i]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        assertEquals(-CatalogGenerator.ZIPF_EXPONENT, slope, 0.1);
    }

    @Test
    public void zipfSizesSumToTheTotalAndNeverRise() {
        for (int total : new int[] {600, 2000, 2400, 2401, 9999}) {
            int[] sizes = CatalogGenerator.zipfSizes(total, 60, 1.0);
            assertEquals(total, Arrays.stream(sizes).sum());
            for (int i = 1; i < sizes.length; i++) {
                assertTrue(sizes[i] <= sizes[i - 1]);
            }
        }
        assertEquals(List.of(6, 3, 2, 1), Arrays.stream(CatalogGenerator.zipfSizes(12, 4, 1.0)).boxed().toList());
    }

    @Test
    public void shopsSellOnlyTheirGroups() {
        Map<String, Shop> shops = shopsByName();
        for (Product p : CATALOG.products()) {
            assertTrue(p.id() + " " + p.shop(), shops.get(p.shop()).groups().contains(p.intent()));
        }
        long tails = CATALOG.shops().stream().filter(s -> s.tier() == Tier.TAIL).count();
        assertTrue(tails >= 40);
        for (Shop s : CATALOG.shops()) {
            if (s.tier() == Tier.TAIL) {
                assertEquals(s.name(), 1, s.groups().size());
            }
        }
    }

    // ---------------------------------------------------------------- queries and grades

    @Test
    public void everyQueryHasRelevantProductsFromAtLeastThreeShops() {
        Map<String, Shop> shops = shopsByName();
        assertEquals(8, CATALOG.queries().size());
        for (DemoQuery q : CATALOG.queries()) {
            Set<String> exactShops = shopsOf(q.idsWith(Relevance.EXACT));
            Set<String> partialShops = shopsOf(q.idsWith(Relevance.PARTIAL));
            assertTrue(q.text() + ": exact from " + exactShops, exactShops.size() >= 3);
            assertTrue(q.text() + ": partial from " + partialShops, partialShops.size() >= 3);
            assertTrue(q.text() + ": exact from a specialist",
                exactShops.stream().anyMatch(s -> shops.get(s).tier() == Tier.TAIL));
            assertTrue(q.text() + ": " + q.idsWith(Relevance.EXACT).size() + " exact",
                q.idsWith(Relevance.EXACT).size() >= 40);
        }
    }

    @Test
    public void gradesFollowTheConceptAndStayInTheIntent() {
        Map<String, Vocabulary.Concept> concepts = concepts();
        for (DemoQuery q : CATALOG.queries()) {
            assertTrue(CATALOG.hasQuery(q.text()));
            assertEquals(q, CATALOG.query(q.text()));
            int graded = 0;
            for (Product p : CATALOG.products()) {
                Relevance expected = p.intent().equals(q.intent()) ? concepts.get(p.concept()).relevance()
                    : Relevance.IRRELEVANT;
                assertEquals(q.text() + " " + p.id(), expected, q.grade(p.id()));
                if (expected != Relevance.IRRELEVANT) {
                    graded++;
                }
            }
            assertEquals(graded, q.grades().size());
            assertFalse(q.grades().containsValue(Relevance.IRRELEVANT));
        }
        assertFalse(CATALOG.hasQuery("cat food"));
        assertThrows(java.util.NoSuchElementException.class, () -> CATALOG.query("cat food"));
    }

    // ---------------------------------------------------------------- wording

    @Test
    public void phrasingMatchesTheWordsOfTheQuery() {
        Map<String, Set<String>> queryWords = queryWords();
        for (Product p : CATALOG.products()) {
            Set<String> words = queryWords.get(p.intent());
            if (words == null) {
                assertNull(p.id(), p.phrasing());
                continue;
            }
            Set<String> title = Tokens.setOf(p.title());
            Set<String> description = Tokens.setOf(p.description());
            Set<String> inTitle = intersection(words, title);
            String what = p.id() + " " + p.phrasing() + " \"" + p.title() + "\" / \"" + p.description() + "\"";
            switch (p.phrasing()) {
                case KEYWORD -> assertEquals(what, words, inTitle);
                case PARAPHRASE -> {
                    assertFalse(what, inTitle.isEmpty());
                    assertNotEquals(what, words, inTitle);
                    Set<String> missing = new HashSet<>(words);
                    missing.removeAll(inTitle);
                    assertTrue(what, intersection(missing, description).isEmpty());
                }
                case NO_OVERLAP -> {
                    assertTrue(what, inTitle.isEmpty());
                    assertTrue(what, intersection(words, description).isEmpty());
                }
            }
        }
    }

    @Test
    public void noProductUsesAnotherQuerysWords() {
        Map<String, Set<String>> queryWords = queryWords();
        for (Product p : CATALOG.products()) {
            Set<String> text = Tokens.setOf(p.title() + " " + p.description());
            for (Map.Entry<String, Set<String>> e : queryWords.entrySet()) {
                if (!e.getKey().equals(p.intent())) {
                    assertTrue(p.id() + " (" + p.intent() + ") uses words of " + e.getKey() + ": " + p.title() + " / "
                        + p.description(), intersection(e.getValue(), text).isEmpty());
                }
            }
        }
    }

    @Test
    public void distractorsShareQueryWordsButNotTheMeaning() {
        Map<String, Set<String>> queryWords = queryWords();
        for (DemoQuery q : CATALOG.queries()) {
            Set<String> concepts = new HashSet<>();
            int withAllWords = 0;
            for (Product p : CATALOG.products()) {
                if (p.intent().equals(q.intent()) && q.grade(p.id()) == Relevance.IRRELEVANT) {
                    Set<String> shared = intersection(queryWords.get(q.intent()), Tokens.setOf(p.title()));
                    assertFalse(p.id() + " " + p.title(), shared.isEmpty());
                    concepts.add(p.concept());
                    if (shared.equals(queryWords.get(q.intent()))) {
                        withAllWords++;
                    }
                }
            }
            assertTrue(q.text() + ": distractor kinds " + concepts, concepts.size() >= 3);
            assertTrue(q.text() + ": distractors with every query word: " + withAllWords, withAllWords >= 5);
        }
    }

    @Test
    public void manyExactProductsAvoidTheQueryWords() {
        for (DemoQuery q : CATALOG.queries()) {
            Map<Phrasing, Integer> counts = new LinkedHashMap<>();
            for (String id : q.idsWith(Relevance.EXACT)) {
                counts.merge(product(id).phrasing(), 1, Integer::sum);
            }
            int total = q.idsWith(Relevance.EXACT).size();
            int keyword = counts.getOrDefault(Phrasing.KEYWORD, 0);
            int none = counts.getOrDefault(Phrasing.NO_OVERLAP, 0);
            assertTrue(q.text() + " " + counts, total - keyword >= 0.3 * total);
            assertTrue(q.text() + " " + counts, none >= 0.08 * total);
        }
    }

    @Test
    public void fillerMatchesNoQuery() {
        Map<String, Set<String>> queryWords = queryWords();
        Set<String> all = queryWords.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        long filler = 0;
        for (Product p : CATALOG.products()) {
            if (!queryWords.containsKey(p.intent())) {
                filler++;
                assertTrue(p.id() + " " + p.title(), intersection(all, Tokens.setOf(p.title() + " " + p.description())).isEmpty());
            }
        }
        assertTrue("filler " + filler, filler >= CATALOG.products().size() / 5);
    }

    // ---------------------------------------------------------------- BM25 behaviour

    @Test
    public void headShopsDominateBm25TopTen() {
        for (long seed : SEEDS) {
            Catalog catalog = new CatalogGenerator(seed).generate();
            Map<String, Tier> tiers = tiers(catalog);
            Bm25 bm25 = new Bm25(catalog.products());
            int capped = 0;
            long headSlots = 0;
            for (DemoQuery q : catalog.queries()) {
                List<Bm25.Hit> top = bm25.search(q.text(), 10);
                assertEquals(10, top.size());
                Map<String, Long> perShop = top.stream()
                    .collect(Collectors.groupingBy(h -> h.product().shop(), Collectors.counting()));
                long head = top.stream().filter(h -> tiers.get(h.product().shop()) == Tier.HEAD).count();
                assertTrue(seed + " " + q.text() + ": head shops hold " + head + " of 10", head >= 5);
                headSlots += head;
                if (perShop.values().stream().mapToLong(Long::longValue).max().orElse(0) > 2) {
                    capped++;
                }
            }
            long slots = 10L * catalog.queries().size();
            assertTrue(seed + ": head shops hold " + headSlots + " of " + slots, headSlots >= 0.75 * slots);
            assertTrue(seed + ": a cap of 2 per shop changes the top 10 of only " + capped + " queries", capped >= 6);
        }
    }

    @Test
    public void bm25TopTenHoldsLexicalDistractorsForSomeQueries() {
        Bm25 bm25 = new Bm25(CATALOG.products());
        int queries = 0;
        for (DemoQuery q : CATALOG.queries()) {
            if (bm25.search(q.text(), 10).stream().anyMatch(h -> q.grade(h.product().id()) == Relevance.IRRELEVANT)) {
                queries++;
            }
        }
        assertTrue("queries with a distractor in the BM25 top 10: " + queries, queries >= 3);
    }

    @Test
    public void bm25WindowHoldsParaphrasedListingsFromSmallShops() {
        for (long seed : SEEDS) {
            Catalog catalog = new CatalogGenerator(seed).generate();
            Map<String, Tier> tiers = tiers(catalog);
            Bm25 bm25 = new Bm25(catalog.products());
            for (DemoQuery q : catalog.queries()) {
                List<Bm25.Hit> window = bm25.search(q.text(), 100);
                assertEquals(100, window.size());
                long exactNotHead = 0;
                long exactParaphrase = 0;
                for (Bm25.Hit h : window) {
                    if (q.grade(h.product().id()) == Relevance.EXACT) {
                        exactNotHead += tiers.get(h.product().shop()) != Tier.HEAD ? 1 : 0;
                        exactParaphrase += h.product().phrasing() == Phrasing.PARAPHRASE ? 1 : 0;
                    }
                }
                String what = seed + " " + q.text() + ": exact not from head shops " + exactNotHead + ", paraphrased "
                    + exactParaphrase;
                assertTrue(what, exactNotHead >= 10);
                assertTrue(what, exactParaphrase >= 5);
                // A listing without a query word cannot be retrieved by BM25 at all.
                assertTrue(window.stream().noneMatch(h -> h.product().phrasing() == Phrasing.NO_OVERLAP));
            }
        }
    }

    @Test
    public void tokensApproximateTheStandardAnalyzer() {
        assertEquals(List.of("men's", "running", "shoes", "15.6", "inch", "high", "back"),
            Tokens.of("Men's Running-Shoes 15.6 Inch, High-Back"));
        assertEquals(List.of("205", "55", "r16", "20", "c"), Tokens.of("205/55 R16 –20°C"));
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Set<String>> queryWords() {
        Map<String, Set<String>> words = new HashMap<>();
        for (DemoQuery q : CATALOG.queries()) {
            words.put(q.intent(), Tokens.setOf(q.text()));
        }
        return words;
    }

    private static Map<String, Vocabulary.Concept> concepts() {
        Map<String, Vocabulary.Concept> concepts = new HashMap<>();
        for (Vocabulary.Group g : Vocabulary.groups()) {
            for (Vocabulary.Concept c : g.concepts()) {
                assertNull("duplicate concept " + c.id(), concepts.put(c.id(), c));
            }
        }
        return concepts;
    }

    private static Map<String, Shop> shopsByName() {
        Map<String, Shop> shops = new HashMap<>();
        for (Shop s : CATALOG.shops()) {
            shops.put(s.name(), s);
        }
        return shops;
    }

    private static Map<String, Tier> tiers(Catalog catalog) {
        Map<String, Tier> tiers = new HashMap<>();
        for (Shop s : catalog.shops()) {
            tiers.put(s.name(), s.tier());
        }
        return tiers;
    }

    private static Product product(String id) {
        Product p = CATALOG.products().get(Integer.parseInt(id.substring(1)) - 1);
        assertEquals(id, p.id());
        return p;
    }

    private static Set<String> shopsOf(List<String> ids) {
        Set<String> shops = new HashSet<>();
        for (String id : ids) {
            shops.add(product(id).shop());
        }
        return shops;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> r = new HashSet<>(a);
        r.retainAll(b);
        return r;
    }
}
