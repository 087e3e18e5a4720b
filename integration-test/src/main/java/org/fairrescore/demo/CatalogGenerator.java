package org.fairrescore.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a deterministic demo marketplace catalog.
 *
 * <p>60 shops with Zipf-distributed sizes (shop of rank r gets a share proportional to r^-s): three general
 * marketplaces own about 40% of the listings, seven mid-size stores sell a few groups each and fifty small
 * specialists sell one group each. Big shops write keyword-heavy titles ("Running Shoes Men's – Lightweight Running
 * Shoes"), so they dominate BM25; specialists describe the same products in other words ("Trail Sneakers for
 * Jogging"), so a lexical ranker undervalues them. Every query group also holds lexical distractors that share the
 * query's words but not its meaning. About half the catalog is filler (garden, toys, ...) that matches no query.
 *
 * <p>Everything is drawn from one {@link Random} seeded by the caller and iterated in a fixed order, so the same seed
 * and size always give the same catalog.
 */
public final class CatalogGenerator {

    public static final long DEFAULT_SEED = 20240611L;
    public static final int DEFAULT_PRODUCTS = 2400;
    /** Zipf exponent of shop sizes. */
    public static final double ZIPF_EXPONENT = 1.0;

    private static final Set<String> COLORED_CATEGORIES = Set.of("footwear", "bags", "audio", "outerwear",
        "furniture", "sportswear", "fitness", "accessories");

    /** Probabilities of keyword, paraphrase, no-overlap phrasing for exact and partial products, by tier. */
    private static final Map<Tier, double[]> RELEVANT_PHRASING = new EnumMap<>(Map.of(
        Tier.HEAD, new double[] {0.75, 0.20, 0.05},
        Tier.MID, new double[] {0.45, 0.40, 0.15},
        Tier.TAIL, new double[] {0.15, 0.55, 0.30}));
    /** Probability that a distractor listing carries every query word in its title, by tier. */
    private static final Map<Tier, Double> DISTRACTOR_KEYWORD = new EnumMap<>(Map.of(
        Tier.HEAD, 0.6, Tier.MID, 0.4, Tier.TAIL, 0.3));
    /** Probability that a head shop's keyword listing repeats the query words (keyword stuffing). */
    private static final double HEAD_STUFFING = 0.6;
    /** Relative weight of a filler group in a shop that sells everything (a query group weighs 1). */
    private static final double HEAD_FILLER_WEIGHT = 2.0;
    private static final double MID_FILLER_WEIGHT = 1.0;

    private final long seed;
    private final int productCount;

    public CatalogGenerator(long seed) {
        this(seed, DEFAULT_PRODUCTS);
    }

    public CatalogGenerator(long seed, int productCount) {
        if (productCount < 600) {
            throw new IllegalArgumentException("a catalog needs at least 600 products, got " + productCount);
        }
        this.seed = seed;
        this.productCount = productCount;
    }

    /** The default demo catalog. */
    public static Catalog defaultCatalog() {
        return new CatalogGenerator(DEFAULT_SEED).generate();
    }

    public Catalog generate() {
        Random random = new Random(seed);
        List<Vocabulary.Group> groups = Vocabulary.groups();
        Map<String, Vocabulary.Group> byId = new LinkedHashMap<>();
        for (Vocabulary.Group g : groups) {
            byId.put(g.id(), g);
        }
        List<Shop> shops = shops(groups, productCount);

        List<Draft> drafts = new ArrayList<>(productCount);
        for (Shop shop : shops) {
            for (int i = 0; i < shop.size(); i++) {
                Vocabulary.Group group = byId.get(pickGroup(shop, byId, random));
                Vocabulary.Concept concept = pickConcept(group, random);
                drafts.add(draft(shop, group, concept, random));
            }
        }
        Collections.shuffle(drafts, random);

        List<Product> products = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            products.add(new Product(String.format(Locale.ROOT, "p%05d", i + 1), d.title, d.description, d.shop,
                d.concept.category(), d.price, d.concept.group(), d.concept.id(), d.phrasing));
        }
        return new Catalog(seed, shops, products, queries(groups, products));
    }

    // ---------------------------------------------------------------- shops

    /** Shops in rank order with their Zipf sizes; names and assortments are fixed, sizes follow the count. */
    static List<Shop> shops(List<Vocabulary.Group> groups, int productCount) {
        List<String> all = groups.stream().map(Vocabulary.Group::id).toList();
        List<Object[]> table = new ArrayList<>();
        table.add(new Object[] {"megamart", Tier.HEAD, all});
        table.add(new Object[] {"shopsphere", Tier.HEAD, all});
        table.add(new Object[] {"buyhive", Tier.HEAD, all});
        table.add(new Object[] {"urbancart", Tier.MID, List.of("running_shoes", "winter_jacket", "yoga_mat", "beauty")});
        table.add(new Object[] {"homenest", Tier.MID, List.of("coffee_maker", "office_chair", "dog_bed", "garden")});
        table.add(new Object[] {"techtrove", Tier.MID, List.of("wireless_headphones", "laptop_bag", "tools")});
        table.add(new Object[] {"dealdepot", Tier.MID,
            List.of("coffee_maker", "wireless_headphones", "office_chair", "laptop_bag", "grocery")});
        table.add(new Object[] {"outfitterz", Tier.MID, List.of("running_shoes", "winter_jacket", "laptop_bag")});
        table.add(new Object[] {"petpalace", Tier.MID, List.of("dog_bed", "garden")});
        table.add(new Object[] {"fitfactory", Tier.MID, List.of("yoga_mat", "running_shoes", "grocery")});

        String[][] specialists = {
            {"running_shoes", "stride-lab", "trailhead-runners", "pace-and-pulse", "fleetfoot"},
            {"laptop_bag", "satchel-society", "carry-collective", "nomad-goods", "slingworks"},
            {"coffee_maker", "bean-and-brew", "crema-corner", "roastworks", "drip-district"},
            {"wireless_headphones", "audiophile-den", "soundhaven", "decibel-shop", "hifi-harbor"},
            {"winter_jacket", "northline-outdoor", "frostgear", "alpine-attic", "polar-threads"},
            {"office_chair", "ergo-studio", "seatwell", "posture-lab", "workspace-works"},
            {"dog_bed", "pawsome-home", "good-boy-goods", "woof-and-nap", "cozy-paws"},
            {"yoga_mat", "zen-flow", "lotus-loft", "namaste-supply", "asana-house"},
        };
        String[][] fillerSpecialists = {
            {"garden", "green-thumb", "leaf-and-loam", "bloom-yard"},
            {"toys", "toy-chest", "brick-by-brick", "tiny-wonders"},
            {"beauty", "glow-apothecary", "pure-skin", "velvet-rose"},
            {"stationery", "ink-and-quill", "paper-trail", "notebook-nook"},
            {"tools", "tool-shed", "fix-it-depot", "bolt-and-nut"},
            {"grocery", "pantry-pals", "honey-and-hive", "corner-grocer"},
        };
        // Interleave so that every group has specialists spread over the small-shop ranks.
        List<Object[]> fillers = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            for (String[] f : fillerSpecialists) {
                fillers.add(new Object[] {f[r], Tier.TAIL, List.of(f[0])});
            }
        }
        int[] fillersPerRound = {5, 5, 4, 4};
        int next = 0;
        for (int r = 1; r <= 4; r++) {
            for (String[] s : specialists) {
                table.add(new Object[] {s[r], Tier.TAIL, List.of(s[0])});
            }
            for (int k = 0; k < fillersPerRound[r - 1]; k++) {
                table.add(fillers.get(next++));
            }
        }

        int[] sizes = zipfSizes(productCount, table.size(), ZIPF_EXPONENT);
        List<Shop> shops = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            Object[] row = table.get(i);
            @SuppressWarnings("unchecked")
            List<String> shopGroups = (List<String>) row[2];
            shops.add(new Shop((String) row[0], i + 1, (Tier) row[1], shopGroups, sizes[i]));
        }
        return List.copyOf(shops);
    }

    /**
     * Splits {@code total} into {@code n} integer sizes proportional to rank^-s (largest remainder rounding), so
     * they sum to exactly {@code total} and never increase with rank.
     */
    public static int[] zipfSizes(int total, int n, double s) {
        double[] weights = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            weights[i] = Math.pow(i + 1, -s);
            sum += weights[i];
        }
        int[] sizes = new int[n];
        double[] remainders = new double[n];
        int assigned = 0;
        for (int i = 0; i < n; i++) {
            double exact = total * weights[i] / sum;
            sizes[i] = (int) Math.floor(exact);
            remainders[i] = exact - sizes[i];
            assigned += sizes[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        // Weights fall with rank, so equal floors come with falling remainders: sizes stay non-increasing.
        order.sort((a, b) -> remainders[a] != remainders[b] ? Double.compare(remainders[b], remainders[a]) : a - b);
        for (int k = 0; assigned < total; k++, assigned++) {
            sizes[order.get(k)]++;
        }
        return sizes;
    }

    // ---------------------------------------------------------------- products

    private record Draft(String shop, Vocabulary.Concept concept, Phrasing phrasing, String title,
                         String description, double price) {
    }

    private static String pickGroup(Shop shop, Map<String, Vocabulary.Group> groups, Random random) {
        if (shop.groups().size() == 1) {
            return shop.groups().get(0);
        }
        double fillerWeight = shop.tier() == Tier.HEAD ? HEAD_FILLER_WEIGHT : MID_FILLER_WEIGHT;
        double[] weights = new double[shop.groups().size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = groups.get(shop.groups().get(i)).isFiller() ? fillerWeight : 1.0;
        }
        return shop.groups().get(weighted(weights, random));
    }

    private static Vocabulary.Concept pickConcept(Vocabulary.Group group, Random random) {
        double[] weights = group.concepts().stream().mapToDouble(Vocabulary.Concept::weight).toArray();
        return group.concepts().get(weighted(weights, random));
    }

    private static Draft draft(Shop shop, Vocabulary.Group group, Vocabulary.Concept concept, Random random) {
        Phrasing phrasing = group.isFiller() ? null : phrasing(shop.tier(), concept, random);
        List<String> pool = switch (phrasing == null ? Phrasing.NO_OVERLAP : phrasing) {
            case KEYWORD -> concept.keyword();
            case PARAPHRASE -> concept.paraphrase();
            case NO_OVERLAP -> concept.noOverlap();
        };
        String core = pick(pool, random);
        String brand = pick(group.brands(), random);
        String qualifier = pickQualifier(concept.qualifiers(), core, random);
        String color = COLORED_CATEGORIES.contains(concept.category()) && random.nextDouble() < 0.4
            ? pick(Vocabulary.COLORS, random) : null;
        // Head shops repeat the query words: a synonym core for the real thing, an SEO tail for an accessory.
        String stuffing = null;
        if (shop.tier() == Tier.HEAD && phrasing == Phrasing.KEYWORD && random.nextDouble() < HEAD_STUFFING) {
            if (concept.relevance() != Relevance.IRRELEVANT) {
                stuffing = concept.keyword().size() > 1 ? pickOther(concept.keyword(), core, random) : core;
            } else if (!concept.seo().isEmpty()) {
                stuffing = pick(concept.seo(), random);
            }
        }
        // "Descaler for Coffee Maker, 6 Doses" rather than "Descaler for Coffee Maker 6 Doses".
        String joint = core.contains(" for ") || core.contains(" with ") || core.contains(" in ") ? ", " : " ";
        String colorSuffix = color == null ? "" : ", " + color;
        String title;
        if (stuffing != null) {
            title = core + joint + qualifier + " – " + stuffing + colorSuffix;
        } else {
            title = switch (random.nextInt(4)) {
                case 0 -> brand + " " + core + joint + qualifier;
                case 1 -> core + joint + qualifier + colorSuffix;
                case 2 -> brand + " " + core + " – " + qualifier + colorSuffix;
                default -> core + " by " + brand;
            };
        }

        List<String> lines = new ArrayList<>();
        if (phrasing == Phrasing.KEYWORD && !concept.keywordLines().isEmpty()) {
            lines.add(pick(concept.keywordLines(), random));
        } else if (phrasing != Phrasing.KEYWORD && phrasing != null && !concept.glossLines().isEmpty()) {
            lines.add(pick(concept.glossLines(), random));
        }
        List<String> features = new ArrayList<>(concept.features());
        Collections.shuffle(features, random);
        lines.addAll(features.subList(0, Math.min(features.size(), 2 + random.nextInt(2))));
        if (stuffing != null && concept.keywordLines().size() > 1) {
            lines.add(pickOther(concept.keywordLines(), lines.get(0), random));
        }
        lines.add(switch (shop.tier()) {
            case HEAD -> "Sold and shipped by " + shop.name() + ".";
            case MID -> "Ships from " + shop.name() + " within two days.";
            case TAIL -> random.nextBoolean() ? "Packed by hand at " + shop.name() + "."
                : "Questions? The " + shop.name() + " team is happy to help.";
        });

        double raw = concept.minPrice() + (concept.maxPrice() - concept.minPrice()) * Math.pow(random.nextDouble(), 1.6);
        double price = Math.floor(raw) + 0.99;
        return new Draft(shop.name(), concept, phrasing, title, String.join(" ", lines), price);
    }

    private static Phrasing phrasing(Tier tier, Vocabulary.Concept concept, Random random) {
        Phrasing wanted;
        if (concept.relevance() == Relevance.IRRELEVANT) {
            wanted = random.nextDouble() < DISTRACTOR_KEYWORD.get(tier) ? Phrasing.KEYWORD : Phrasing.PARAPHRASE;
        } else {
            wanted = Phrasing.values()[weighted(RELEVANT_PHRASING.get(tier), random)];
        }
        if (wanted == Phrasing.KEYWORD && concept.keyword().isEmpty()) {
            return Phrasing.PARAPHRASE;
        }
        if (wanted == Phrasing.NO_OVERLAP && concept.noOverlap().isEmpty()) {
            return Phrasing.PARAPHRASE;
        }
        return wanted;
    }

    // ---------------------------------------------------------------- queries

    private static List<DemoQuery> queries(List<Vocabulary.Group> groups, List<Product> products) {
        Map<String, Relevance> conceptGrades = new LinkedHashMap<>();
        for (Vocabulary.Group g : groups) {
            for (Vocabulary.Concept c : g.concepts()) {
                conceptGrades.put(c.id(), c.relevance());
            }
        }
        List<DemoQuery> queries = new ArrayList<>();
        for (Vocabulary.Group g : groups) {
            if (g.isFiller()) {
                continue;
            }
            Map<String, Relevance> grades = new LinkedHashMap<>();
            for (Product p : products) {
                Relevance r = conceptGrades.get(p.concept());
                if (p.intent().equals(g.id()) && r != Relevance.IRRELEVANT) {
                    grades.put(p.id(), r);
                }
            }
            queries.add(new DemoQuery(g.query(), g.id(), grades));
        }
        return List.copyOf(queries);
    }

    // ---------------------------------------------------------------- random helpers

    private static int weighted(double[] weights, Random random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    /** A qualifier that repeats no word of the core ("Waterproof Winter Jacket" gets no "Waterproof"). */
    private static String pickQualifier(List<String> qualifiers, String core, Random random) {
        Set<String> coreWords = new HashSet<>(Arrays.asList(core.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
        List<String> fitting = qualifiers.stream()
            .filter(q -> Arrays.stream(q.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).noneMatch(coreWords::contains))
            .toList();
        return pick(fitting.isEmpty() ? qualifiers : fitting, random);
    }

    private static String pickOther(List<String> values, String not, Random random) {
        String v;
        do {
            v = pick(values, random);
        } while (v.equals(not));
        return v;
    }
}
