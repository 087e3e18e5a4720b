package org.fairrescore.node;

import org.fairrescore.cache.DocumentEmbeddingCache;
import org.fairrescore.cache.QueryEmbeddingCache;
import org.fairrescore.cache.VectorCache;
import org.fairrescore.rescore.DocumentVectors;
import org.fairrescore.stats.FairRescoreStats;
import org.fairrescore.stats.NodeStats;
import org.fairrescore.vectors.EmbedProcessor;

/**
 * Reads the counters the caches, the document-vector reader, the ingest processor and the exposure ledgers keep as the
 * stats' sections, so
 * that the stats package depends on none of them.
 */
final class StatsReadings {

    private StatsReadings() {}

    static FairRescoreStats.Sources of(
            QueryEmbeddingCache queries,
            DocumentVectors vectors,
            EmbedProcessor.Counters ingest,
            ExposureService exposure) {
        return new FairRescoreStats.Sources(
                () -> cache(queries.stats(), 0),
                () -> {
                    DocumentEmbeddingCache documents = vectors.cache();
                    return documents == null
                            ? NodeStats.Cache.EMPTY
                            : cache(documents.stats(), documents.cachedSegments());
                },
                () -> {
                    DocumentVectors.Counters c = vectors.counters();
                    return new NodeStats.Documents(
                            c.stored(), c.onTheFly(), c.embedded(), c.modelMismatch(), c.overBudget(), c.noText());
                },
                () -> new NodeStats.Ingest(ingest.embedded(), ingest.unchanged(), ingest.noText(), ingest.failed()),
                exposure::size);
    }

    private static NodeStats.Cache cache(VectorCache.Stats s, long segments) {
        return new NodeStats.Cache(
                s.entries(),
                s.bytes(),
                s.maxBytes(),
                s.hits(),
                s.misses(),
                s.loads(),
                s.waits(),
                s.evictions(),
                segments);
    }
}
