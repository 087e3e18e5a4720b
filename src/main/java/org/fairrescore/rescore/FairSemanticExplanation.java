package org.fairrescore.rescore;

import org.apache.lucene.search.Explanation;
import org.fairrescore.exposure.ExposureTarget;
import org.fairrescore.exposure.ExposureView;
import org.fairrescore.fairness.Diversity;
import org.fairrescore.fairness.FairTopK;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.fairness.Trace;
import org.fairrescore.model.CosineCalibration;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.fairrescore.vectors.VectorModel;
import org.opensearch.common.unit.TimeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The text of a {@code fair_semantic} explanation: every step of a window hit's score, from the first-pass score to
 * the quota's decision, each with the value it produced (the README's "Explain: how to read it" reads it line by line).
 */
final class FairSemanticExplanation {

    private FairSemanticExplanation() {}

    /**
     * The explanation of first-pass hit {@code i} of a scored window: one line per step of its score.
     *
     * @param timeout      the inference budget (named when the window's inference ran out of it)
     * @param reorderer    the node's reorderer (the FA*IR m-table a decision was made with)
     * @param loadedModels the models the node loads (to name the model a foreign stored vector was made by)
     */
    static Explanation of(
            ScoredWindow window,
            int i,
            FairRescoreContext context,
            Explanation sourceExplanation,
            TimeValue timeout,
            QuotaReorderer reorderer,
            List<String> loadedModels,
            IntFunction<String> idOf) {
        boolean timedOut = window.vectors().timedOut();
        float weight = timedOut ? 0f : context.semanticWeight();
        float k = context.firstPassSaturation();
        List<Explanation> details = new ArrayList<>();
        details.add(Explanation.match(window.firstPass()[i], "first-pass score", sourceExplanation));
        details.add(Explanation.match(
                window.normalisedFirstPass()[i], String.format(Locale.ROOT, "first-pass normalised s/(s+%s)", k)));
        if (timedOut) {
            details.add(Explanation.match(
                    0f,
                    String.format(
                            Locale.ROOT,
                            "inference timed out: not finished within [%s]=%s, so the semantic score (weight %s) is skipped and the window "
                                    + "keeps its first-pass order (the quota still applies)",
                            FairRescoreSettings.INFERENCE_TIMEOUT.getKey(),
                            timeout,
                            context.semanticWeight())));
        } else if (weight > 0f) {
            QueryModel model = context.model();
            details.add(Explanation.match(
                    window.cosine()[i], cosineSource(window.vectors(), i, context, model, loadedModels)));
            CosineCalibration calibration = model.embeddings().calibration();
            details.add(Explanation.match(
                    calibration.semantic(window.cosine()[i]),
                    String.format(
                            Locale.ROOT,
                            "semantic score, the cosine on model [%s]'s scale, clipped to [0, 1]: %s",
                            model.id(),
                            calibration)));
        }
        details.add(Explanation.match(
                window.blend()[i],
                String.format(Locale.ROOT, "blend (1 - %s) * first-pass + %s * semantic", weight, weight)));
        exposure(window, i, context, details);
        details.add(Explanation.match(
                window.finalScore(i),
                context.composite()
                        ? compositeDecision(window, i, context, idOf)
                        : quotaDecision(window, i, context, reorderer)));
        return Explanation.match(
                window.finalScore(i),
                String.format(
                        Locale.ROOT,
                        "fair_semantic: 1 + blend, made strictly decreasing in the quota order; position %d (first pass %d)",
                        window.positions()[i] + 1,
                        i + 1),
                details);
    }

    /** The exposure boost's lines: the shop's standing in the ledger, the boost, the boosted blend the quota ordered. */
    private static void exposure(ScoredWindow window, int i, FairRescoreContext context, List<Explanation> details) {
        ExposurePlan plan = context.exposure();
        if (plan == null) {
            return;
        }
        ScoredWindow.Exposure exposure = window.exposure();
        if (exposure == null) {
            details.add(Explanation.match(0f, "exposure boost: none, " + plan.unapplied()));
            return;
        }
        ExposureSettings settings = plan.settings();
        String shop = window.shops()[i];
        float boost = exposure.boosts()[i];
        String why;
        if (shop == null) {
            why = "no shop: no boost";
        } else {
            ExposureView.Standing s = exposure.view().standing(shop, settings.target());
            why = String.format(
                    Locale.ROOT,
                    "shop [%s] has exposure %.4g against a target of %.4g (%s; merit %.4g of %.4g in all), ratio %s, deficit %.3f; boost = deficit * strength %s * %s",
                    shop,
                    s.exposure(),
                    s.target(),
                    settings.target() == ExposureTarget.MERIT
                            ? "its share of all merit"
                            : "an equal share among " + exposure.view().shopsWithMerit() + " shops",
                    s.merit(),
                    exposure.view().totalMerit(),
                    Double.isFinite(s.ratio()) ? String.format(Locale.ROOT, "%.3f", s.ratio()) : "undefined",
                    s.deficit(),
                    settings.strength(),
                    ExposureView.MAX_BOOST);
        }
        details.add(Explanation.match(boost, "exposure boost (amortized over the traffic): " + why));
        details.add(Explanation.match(
                exposure.boosted()[i], "blend + exposure boost, clipped to [0, 1]: what the quota orders"));
    }

    private static String cosineSource(
            DocumentVectors.Window vectors,
            int i,
            FairRescoreContext context,
            QueryModel model,
            List<String> loadedModels) {
        String field = context.vectorField();
        Long foreign = vectors.foreign().get(i);
        String missing = field == null
                ? "the index names no vector field"
                : foreign != null
                        ? "the vector stored in [" + field + "] was made by " + madeBy(foreign, loadedModels)
                                + ", not by the query's model, so it is not compared"
                        : "no vector stored in [" + field + "]";
        return switch (vectors.sources()[i]) {
            case STORED ->
                String.format(
                        Locale.ROOT,
                        "cosine(query, document) with the vector stored in [%s], model [%s] (%s)",
                        field,
                        model.id(),
                        model.why());
            case ON_THE_FLY ->
                String.format(
                        Locale.ROOT,
                        "cosine(query, document) on fields %s embedded on the fly (%s), model [%s] (%s)",
                        context.fields(),
                        missing,
                        model.id(),
                        model.why());
            case NO_TEXT ->
                String.format(
                        Locale.ROOT,
                        "%sno text in fields %s: neutral cosine 0",
                        field == null ? "" : missing + " and ",
                        context.fields());
            case OVER_BUDGET ->
                String.format(
                        Locale.ROOT,
                        "%s, and the %d on-the-fly embeddings per shard request that [%s] allows went to better first-pass hits: neutral cosine 0",
                        field == null ? "no vector stored" : missing,
                        vectors.budget(),
                        FairRescoreSettings.MAX_ON_THE_FLY_DOCS.getKey());
            case NONE -> "semantic weight 0: no cosine";
            case TIMED_OUT -> "inference timed out: no cosine";
        };
    }

    /** The model a foreign stored vector names: a model this node loads, by its fingerprint, else the fingerprint. */
    private static String madeBy(long fingerprint, List<String> loadedModels) {
        if (fingerprint == VectorModel.UNKNOWN) {
            return "an unknown model (written before vectors carried their model; re-index through fair_rescore_embed)";
        }
        for (String id : loadedModels) {
            if (VectorModel.fingerprintOf(id) == fingerprint) {
                return "model [" + id + "]";
            }
        }
        return String.format(Locale.ROOT, "another model (fingerprint %016x)", fingerprint);
    }

    /**
     * The decision of the one placement procedure (several rules, the multi-group minimums, or diversity), read from its
     * trace: which rule (or diversity, or the rules' DCG search) moved the hit up, which decision above moved it down,
     * whether it is a near duplicate of a higher hit (by id), and the rules that gave way at its position.
     */
    static String compositeDecision(ScoredWindow window, int i, FairRescoreContext context, IntFunction<String> idOf) {
        Reordering r = window.reordering();
        Trace trace = r.trace();
        int position = window.positions()[i];
        int blendRank = r.rankByScore()[i];
        QuotaPolicy policy = context.policy();
        Diversity diversity = context.diversity();
        StringBuilder rules = new StringBuilder();
        if (policy.isActive()) {
            rules.append(policy.describe());
        } else {
            rules.append("no rule");
            String unapplied = context.quota().unapplied();
            if (unapplied != null) {
                rules.append(" (").append(unapplied).append(')');
            }
        }
        if (diversity.isActive()) {
            rules.append("; ").append(diversity.describe());
        }
        String who = who(window, i, context);
        StringBuilder out = new StringBuilder("rules: ");
        Trace.Step step = trace.step(position);
        if (position < blendRank) {
            out.append(String.format(
                    Locale.ROOT,
                    "moved up from blend rank %d to %d by %s",
                    blendRank + 1,
                    position + 1,
                    reason(step, diversity)));
        } else if (position > blendRank) {
            int at = Trace.displacedAt(r, i);
            String by = at < 0 ? "the placement" : reason(trace.step(at), diversity);
            out.append(String.format(
                    Locale.ROOT,
                    "moved down from blend rank %d to %d: gave way at position %d to a lower blend, placed there by %s",
                    blendRank + 1,
                    position + 1,
                    at + 1,
                    by));
        } else {
            out.append(String.format(Locale.ROOT, "kept blend rank %d", position + 1));
        }
        out.append(" under ").append(rules);
        if (who != null) {
            out.append(", ").append(who);
        }
        if (step.duplicateOf() >= 0) {
            out.append(String.format(
                    Locale.ROOT,
                    "; near duplicate of [%s] (cosine >= duplicate_threshold %s), set below the other hits",
                    idOf.apply(step.duplicateOf()),
                    diversity.duplicateThreshold()));
        }
        if (step.gaveWay().isEmpty() == false) {
            out.append("; ")
                    .append(step.gaveWay().stream().map(QuotaPolicy::mode).toList())
                    .append(" gave way here: the rules cannot all hold in this window, and the priority"
                            + " fair_topk > group_fair_topk > cap > share keeps the ones above");
        }
        if (diversity.isActive()
                && (window.vectors().vectors() == null || window.vectors().vectors()[i] == null)) {
            out.append("; no document vector: counted as dissimilar to every hit for diversity");
        }
        return out.toString();
    }

    /** Why the placement took a worse-blend hit at a position. */
    private static String reason(Trace.Step step, Diversity diversity) {
        if (step.rule() != null) {
            return "rule [" + step.rule().mode() + "] (" + step.rule().describe() + ")";
        }
        if (step.byAllRules()) {
            return "the rules together (their DCG search: a better DCG that keeps every rule)";
        }
        if (step.diversified()) {
            return diversity.mmr()
                    ? "diversity (MMR lambda=" + diversity.lambda() + ": less similar to the hits above)"
                    : "diversity (a better-blend hit was a near duplicate)";
        }
        return "the placement";
    }

    /** The hit as the rules see it: its shop, protected mark and group; null when no rule reads a field. */
    private static String who(ScoredWindow window, int i, FairRescoreContext context) {
        List<String> parts = new ArrayList<>();
        ResolvedQuota quota = context.quota();
        if (quota.shopField() != null) {
            String shop = window.shops()[i];
            parts.add(shop == null ? "no shop (a group of its own)" : "shop [" + shop + "]");
        }
        if (quota.protectedField() != null && window.protectedHit() != null) {
            parts.add(window.protectedHit()[i] ? "protected hit" : "unprotected hit");
        }
        if (quota.groupField() != null && window.groups() != null) {
            String group = window.groups()[i];
            GroupFairTopK g = FairSemanticRescorer.groupRule(context.policy());
            boolean protectedGroup = group != null && g != null && g.groups().contains(group);
            parts.add(
                    group == null
                            ? "no [" + quota.groupField() + "]"
                            : "[" + quota.groupField() + "]=[" + group + "]"
                                    + (protectedGroup ? " (protected group)" : ""));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    private static String quotaDecision(
            ScoredWindow window, int i, FairRescoreContext context, QuotaReorderer reorderer) {
        Reordering r = window.reordering();
        int position = window.positions()[i];
        int blendRank = r.rankByScore()[i];
        QuotaPolicy policy = context.policy();
        if (policy.isActive() == false) {
            String unapplied = context.quota().unapplied();
            return unapplied == null
                    ? String.format(Locale.ROOT, "quota: none (position %d by blend)", position + 1)
                    : String.format(Locale.ROOT, "quota: none (position %d by blend): %s", position + 1, unapplied);
        }
        String quota = policy.describe();
        String who;
        if (policy instanceof FairTopK fair) {
            int needed = reorderer.mtable(window.docs().length, fair).minimums()[position];
            boolean prot = window.protectedHit()[i];
            quota += String.format(
                    Locale.ROOT,
                    " on [%s]=[%s], top %d needs %d protected",
                    context.quota().protectedField(),
                    context.quota().protectedValue(),
                    position + 1,
                    needed);
            who = prot ? "protected hit" : "unprotected hit";
        } else {
            String shop = window.shops()[i];
            quota += " on [" + context.shopField() + "]";
            who = shop == null ? "no shop (a group of its own)" : "shop [" + shop + "]";
        }
        if (r.violates()[position]) {
            return String.format(
                    Locale.ROOT,
                    "quota: %s cannot be met here, %s placed at %d as the best remaining hit (blend rank %d)",
                    quota,
                    who,
                    position + 1,
                    blendRank + 1);
        }
        if (position > blendRank) {
            return String.format(
                    Locale.ROOT,
                    "quota: moved down from blend rank %d to %d by %s, %s",
                    blendRank + 1,
                    position + 1,
                    quota,
                    who);
        }
        if (position < blendRank) {
            return String.format(
                    Locale.ROOT,
                    "quota: moved up from blend rank %d to %d by %s, %s",
                    blendRank + 1,
                    position + 1,
                    quota,
                    who);
        }
        return String.format(Locale.ROOT, "quota: kept blend rank %d under %s, %s", position + 1, quota, who);
    }
}
