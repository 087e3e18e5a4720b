package org.fairrescore.eval.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The three quotas of the plugin, restated independently of it as constraints on the prefixes of a ranking, so the
 * report can check a returned page and decide whether a window could have met a quota at all.
 *
 * <p>Every quota is a set of constraints, each of which ends at some position; {@link #endsOk} checks those that
 * end at the last position of a prefix, so a ranking {@link #holds} when every prefix passes.
 */
public sealed interface Quota {

    /** Whether the constraints that end at the last position of {@code prefix} hold. */
    boolean endsOk(List<Slot> prefix);

    /** Whether the quota reads shops (cap, share) or only the protected mark (fair_topk). */
    boolean readsShops();

    /** A short description for the report. */
    String describe();

    /** Whether every constraint within the first {@code min(k, ranking.size())} positions holds. */
    default boolean holds(List<Slot> ranking, int k) {
        int n = Math.min(k, ranking.size());
        for (int r = 1; r <= n; r++) {
            if (endsOk(ranking.subList(0, r)) == false) {
                return false;
            }
        }
        return true;
    }

    /** {@code cap}: at most {@code maxPerShop} hits of one shop in any {@code window} consecutive positions. */
    record Cap(int maxPerShop, int window) implements Quota {
        public Cap {
            if (maxPerShop < 1 || window < 1) {
                throw new IllegalArgumentException("cap needs max_per_shop >= 1 and cap_window >= 1, got "
                    + maxPerShop + " in " + window);
            }
        }

        @Override
        public boolean endsOk(List<Slot> prefix) {
            int last = prefix.size() - 1;
            String shop = prefix.get(last).shop();
            int count = 0;
            for (int i = Math.max(0, last - window + 1); i <= last; i++) {
                if (prefix.get(i).shop().equals(shop)) {
                    count++;
                }
            }
            // Only the shop placed last can have gained a hit in the window that ends here.
            return count <= maxPerShop;
        }

        @Override
        public boolean readsShops() {
            return true;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "cap: at most %d per shop in any %d consecutive", maxPerShop, window);
        }
    }

    /**
     * {@code share}: in every prefix of length {@code r >= minPrefix}, no shop holds more than {@code maxShare} of
     * the prefix's exposure.
     */
    record Share(double maxShare, int minPrefix) implements Quota {
        /** Tolerance for floating-point sums, as the plugin allows. */
        static final double EPSILON = 1e-12;

        public Share {
            if ((maxShare > 0 && maxShare <= 1) == false || minPrefix < 1) {
                throw new IllegalArgumentException("share needs max_share in (0, 1] and share_min_prefix >= 1, got "
                    + maxShare + ", " + minPrefix);
            }
        }

        @Override
        public boolean endsOk(List<Slot> prefix) {
            int r = prefix.size();
            if (r < minPrefix) {
                return true;
            }
            Map<String, Double> exposure = new HashMap<>();
            double max = 0;
            for (int i = 0; i < r; i++) {
                max = Math.max(max, exposure.merge(prefix.get(i).shop(), Exposure.weight(i + 1), Double::sum));
            }
            return max / Exposure.total(r) <= maxShare + EPSILON;
        }

        @Override
        public boolean readsShops() {
            return true;
        }

        @Override
        public String describe() {
            return String.format(Locale.ROOT, "share: no shop above %s of the exposure of any prefix from %d on",
                maxShare, minPrefix);
        }
    }

    /** {@code fair_topk}: the top {@code i + 1} hold at least {@code minimums[i]} protected hits. */
    record FairTopK(int[] minimums) implements Quota {
        public FairTopK {
            minimums = minimums.clone();
        }

        @Override
        public boolean endsOk(List<Slot> prefix) {
            int r = prefix.size();
            if (r > minimums.length) {
                throw new IllegalArgumentException("the m-table has " + minimums.length + " entries, prefix " + r);
            }
            int protectedHits = 0;
            for (Slot s : prefix) {
                if (s.protectedHit()) {
                    protectedHits++;
                }
            }
            return protectedHits >= minimums[r - 1];
        }

        @Override
        public boolean readsShops() {
            return false;
        }

        @Override
        public String describe() {
            return "fair_topk: protected hits in the top i >= m(i), m = " + Arrays.toString(minimums);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FairTopK other && Arrays.equals(minimums, other.minimums);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(minimums);
        }

        @Override
        public String toString() {
            return "FairTopK" + Arrays.toString(minimums);
        }
    }
}
