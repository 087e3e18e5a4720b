package org.fairrescore.eval.data;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The gain of each ESCI label in NDCG. The default is the KDD Cup 2022 mapping (ESCI's official scoring): Exact 1,
 * Substitute 0.1, Complement 0.01, Irrelevant 0, which is also the order of the ratings of the OpenSearch
 * redistribution (100 / 10 / 1 / 0).
 */
public record EsciGains(double exact, double substitute, double complement, double irrelevant) {

    public static final EsciGains OFFICIAL = new EsciGains(1.0, 0.1, 0.01, 0.0);

    public EsciGains {
        for (double g : new double[] {exact, substitute, complement, irrelevant}) {
            if (g < 0 || Double.isNaN(g) || Double.isInfinite(g)) {
                throw new IllegalArgumentException("ESCI gains must be finite and >= 0, got " + g);
            }
        }
    }

    public double gain(EsciLabel label) {
        return switch (label) {
            case EXACT -> exact;
            case SUBSTITUTE -> substitute;
            case COMPLEMENT -> complement;
            case IRRELEVANT -> irrelevant;
        };
    }

    /** Parses {@code E=1,S=0.1,C=0.01,I=0}; labels left out keep their official gain. */
    public static EsciGains parse(String spec) {
        Map<EsciLabel, Double> gains = new EnumMap<>(EsciLabel.class);
        for (EsciLabel l : EsciLabel.values()) {
            gains.put(l, OFFICIAL.gain(l));
        }
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("ESCI gains are LABEL=GAIN pairs such as E=1,S=0.1,C=0.01,I=0; got \""
                    + spec + "\"");
            }
            try {
                gains.put(EsciLabel.parse(p.substring(0, eq)), Double.parseDouble(p.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number in ESCI gains \"" + spec + "\": " + p, e);
            }
        }
        return new EsciGains(gains.get(EsciLabel.EXACT), gains.get(EsciLabel.SUBSTITUTE),
            gains.get(EsciLabel.COMPLEMENT), gains.get(EsciLabel.IRRELEVANT));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "E=%s,S=%s,C=%s,I=%s", exact, substitute, complement, irrelevant);
    }
}
