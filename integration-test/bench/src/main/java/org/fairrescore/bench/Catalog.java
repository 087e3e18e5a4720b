package org.fairrescore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A generated product catalog whose titles are built around real query strings (each title takes most of one
 * query's words plus brand, colour, material and pack-size words), so that real queries find full rescore windows.
 */
final class Catalog {

    record Product(String id, String title, String shop, double price) {}

    private static final String[] BRANDS = {
        "Acme", "Norvik", "Bellamy", "Ostara", "Kestrel", "Lumen", "Marlow", "Quill", "Tidewater", "Vantor", "Halden", "Brisa",
        "Corvo", "Delmar", "Everly", "Fenwick", "Granite", "Harbor", "Ivory Lane", "Juniper", "Koda", "Larkspur", "Moss & Co",
        "Northwind", "Orchid", "Pinecrest", "Redwood", "Solace", "Terra", "Umbra" };
    private static final String[] COLOURS = {
        "black", "white", "red", "blue", "navy", "green", "grey", "beige", "brown", "pink", "teal", "gold", "silver", "cream" };
    private static final String[] MATERIALS = {
        "leather", "cotton", "wood", "stainless steel", "plastic", "velvet", "linen", "bamboo", "ceramic", "glass", "wool" };
    private static final String[] EXTRAS = {
        "2-pack", "set of 4", "for kids", "for women", "for men", "large", "small", "XL", "with storage", "waterproof",
        "lightweight", "heavy duty", "portable", "adjustable", "eco friendly", "premium", "compact", "classic" };

    private Catalog() {}

    static List<Product> generate(int n, List<String> seeds, int shops, long seed) {
        Random r = new Random(seed);
        List<Product> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String[] words = seeds.get(r.nextInt(seeds.size())).split("\\s+");
            StringBuilder t = new StringBuilder(BRANDS[r.nextInt(BRANDS.length)]);
            if (r.nextInt(3) > 0) {
                t.append(' ').append(COLOURS[r.nextInt(COLOURS.length)]);
            }
            if (r.nextBoolean()) {
                t.append(' ').append(MATERIALS[r.nextInt(MATERIALS.length)]);
            }
            int drop = words.length > 2 && r.nextInt(4) == 0 ? r.nextInt(words.length) : -1;
            for (int w = 0; w < words.length; w++) {
                if (w != drop) {
                    t.append(' ').append(words[w]);
                }
            }
            int extras = r.nextInt(3);
            for (int e = 0; e < extras; e++) {
                t.append(' ').append(EXTRAS[r.nextInt(EXTRAS.length)]);
            }
            double u = r.nextDouble();
            String shop = String.format(Locale.ROOT, "shop-%03d", (int) (shops * u * u)); // a few big shops, a long tail
            double price = Math.round((5 + 495 * r.nextDouble() * r.nextDouble()) * 100) / 100.0;
            out.add(new Product("p" + i, t.toString(), shop, price));
        }
        return out;
    }
}
