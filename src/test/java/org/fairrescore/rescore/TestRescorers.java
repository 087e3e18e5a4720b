package org.fairrescore.rescore;

import org.fairrescore.exposure.ExposureLedgers;
import org.fairrescore.fairness.MTableCache;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.stats.FairRescoreStats;

import java.util.List;

/** Rescorers and rescore contexts over a test model, as the plugin wires them on a node. */
final class TestRescorers {

    private TestRescorers() {}

    /** A rescorer whose node loads {@code model} only, reads stored vectors and embeds the rest on the fly without limit. */
    static FairSemanticRescorer rescorer(Embeddings model) {
        return rescorer(model, new DocumentVectors(null, Integer.MAX_VALUE), new FairRescoreStats());
    }

    static FairSemanticRescorer rescorer(Embeddings model, DocumentVectors vectors) {
        return rescorer(model, vectors, new FairRescoreStats());
    }

    static FairSemanticRescorer rescorer(Embeddings model, DocumentVectors vectors, FairRescoreStats stats) {
        return rescorer(model, vectors, stats, RequestMemory.NONE);
    }

    static FairSemanticRescorer rescorer(
            Embeddings model, DocumentVectors vectors, FairRescoreStats stats, RequestMemory memory) {
        QueryModels models = model == null ? null : QueryModels.of(model);
        return new FairSemanticRescorer(
                () -> models,
                new QuotaReorderer(new MTableCache(8)),
                () -> vectors,
                stats,
                () -> memory,
                new ExposureLedgers(1000));
    }

    /** A context as the builder makes one for an index without a vector field, the query embedded by the node's model. */
    static FairRescoreContext context(
            int window,
            FairSemanticRescorer rescorer,
            String queryText,
            List<String> fields,
            float weight,
            float saturation,
            ResolvedQuota quota) {
        return context(window, rescorer, queryText, fields, weight, saturation, quota, null);
    }

    /** As above, reading stored vectors from {@code vectorField} (null: none). */
    static FairRescoreContext context(
            int window,
            FairSemanticRescorer rescorer,
            String queryText,
            List<String> fields,
            float weight,
            float saturation,
            ResolvedQuota quota,
            String vectorField) {
        return context(window, rescorer, queryText, fields, weight, saturation, quota, vectorField, null);
    }

    /** As above, with {@code diversity} (null: off). */
    static FairRescoreContext context(
            int window,
            FairSemanticRescorer rescorer,
            String queryText,
            List<String> fields,
            float weight,
            float saturation,
            ResolvedQuota quota,
            String vectorField,
            org.fairrescore.fairness.Diversity diversity) {
        QueryModel model = null;
        if (weight > 0f) {
            QueryModels models = rescorer.models();
            model = new QueryModel(models.embeddings(models.defaultModel()), "the node's default [fair_rescore.model]");
        }
        return new FairRescoreContext(
                window, rescorer, queryText, fields, weight, saturation, quota, model, vectorField, null, diversity);
    }
}
