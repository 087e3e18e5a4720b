package org.fairrescore.pipeline;

import org.fairrescore.fairness.Diversity;
import org.fairrescore.fairness.GroupFairTopK;
import org.fairrescore.fairness.Placement;
import org.fairrescore.fairness.QuotaPolicy;
import org.fairrescore.fairness.QuotaReorderer;
import org.fairrescore.fairness.Reordering;
import org.fairrescore.fairness.WindowHits;
import org.fairrescore.quota.QuotaParameters;
import org.fairrescore.quota.ResolvedQuota;
import org.fairrescore.rescore.FairSemanticRescorerBuilder;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.common.document.DocumentField;
import org.opensearch.common.settings.Settings;
import org.opensearch.search.SearchHit;
import org.opensearch.search.SearchHits;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.internal.InternalSearchResponse;
import org.opensearch.search.pipeline.AbstractProcessor;
import org.opensearch.search.pipeline.PipelineProcessingContext;
import org.opensearch.search.pipeline.Processor;
import org.opensearch.search.pipeline.SearchRequestProcessor;
import org.opensearch.search.pipeline.SearchResponseProcessor;
import org.opensearch.search.rescore.RescorerBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@code fair_rescore} search pipeline processors: exact quotas over the merged hits of all shards.
 *
 * <p>The rescore runs per shard, so a per-shard cap lets up to shards × N hits of one shop meet in the merged top.
 * The request processor asks each shard for {@code oversample} times the hits the caller wants (from 0) and for the
 * quota's keyword field as a doc-value field; the response processor applies the index's quota (the same
 * {@link QuotaReorderer} the shards use) to the merged window hits, restores strictly decreasing scores and cuts the
 * page the caller asked for. Use both, under the same name, in one pipeline:
 * <pre>
 * PUT _search/pipeline/fair
 * { "request_processors": [ { "fair_rescore": { "oversample": 3 } } ],
 *   "response_processors": [ { "fair_rescore": {} } ] }
 * </pre>
 */
public final class FairRescorePipeline {

    public static final String TYPE = "fair_rescore";
    static final String STATE = "fair_rescore.pipeline.state";
    static final int MAX_OVERSAMPLE = 20;

    private final Supplier<ClusterState> clusterState;
    private final Supplier<IndexNameExpressionResolver> resolver;
    private final QuotaReorderer reorderer;
    private final FairRescoreStats stats;

    /**
     * @param clusterState the node's current cluster state (null before the node has started)
     * @param resolver     resolves a request's index expressions
     * @param reorderer    the node's quota reorderer (shared with the rescorer)
     * @param stats        counts every merged-window reorder
     */
    public FairRescorePipeline(
            Supplier<ClusterState> clusterState,
            Supplier<IndexNameExpressionResolver> resolver,
            QuotaReorderer reorderer,
            FairRescoreStats stats) {
        this.clusterState = clusterState;
        this.resolver = resolver;
        this.reorderer = reorderer;
        this.stats = stats;
    }

    /** What the request processor leaves for the response processor. */
    record State(ResolvedQuota quota, int from, int size, List<String> addedFields) {}

    public Processor.Factory<SearchRequestProcessor> requestFactory() {
        return (factories, tag, description, ignoreFailure, config, context) -> {
            Object raw = config.remove("oversample");
            int oversample = 3;
            if (raw != null) {
                try {
                    oversample = Integer.parseInt(raw.toString());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "[" + TYPE + "] [oversample] must be an integer, got [" + raw + "]");
                }
                if (oversample < 1 || oversample > MAX_OVERSAMPLE) {
                    throw new IllegalArgumentException("[" + TYPE + "] [oversample] must be between 1 and "
                            + MAX_OVERSAMPLE + ", got [" + oversample + "]");
                }
            }
            rejectUnknown(config);
            return new Request(tag, description, ignoreFailure, oversample);
        };
    }

    public Processor.Factory<SearchResponseProcessor> responseFactory() {
        return (factories, tag, description, ignoreFailure, config, context) -> {
            rejectUnknown(config);
            return new Response(tag, description, ignoreFailure);
        };
    }

    private static void rejectUnknown(Map<String, Object> config) {
        if (config.isEmpty() == false) {
            throw new IllegalArgumentException("[" + TYPE + "] unknown parameters " + config.keySet());
        }
    }

    /** The quota the target indices agree on, or null when the search has no fair_semantic rescore. */
    ResolvedQuota quotaFor(SearchRequest request) {
        SearchSourceBuilder source = request.source();
        if (source == null || source.rescores() == null) {
            return null;
        }
        QuotaParameters override = null;
        boolean fair = false;
        for (RescorerBuilder<?> rescore : source.rescores()) {
            if (rescore instanceof FairSemanticRescorerBuilder f) {
                fair = true;
                override = f.quota();
            }
        }
        if (fair == false) {
            return null;
        }
        ClusterState state = Objects.requireNonNull(clusterState.get(), "cluster state");
        String[] indices = resolver.get().concreteIndexNames(state, request);
        ResolvedQuota agreed = null;
        String first = null;
        for (String index : indices) {
            IndexMetadata metadata = state.metadata().index(index);
            Settings settings = metadata.getSettings();
            ResolvedQuota quota = ResolvedQuota.resolve(settings, override, index, (setting, field, name) -> true);
            if (agreed == null) {
                agreed = quota;
                first = index;
            } else if (agreed.equals(quota) == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "[%s] indices [%s] and [%s] have different quota settings; search them separately",
                        TYPE,
                        first,
                        index));
            }
        }
        return agreed;
    }

    final class Request extends AbstractProcessor implements SearchRequestProcessor {
        private final int oversample;

        Request(String tag, String description, boolean ignoreFailure, int oversample) {
            super(tag, description, ignoreFailure);
            this.oversample = oversample;
        }

        @Override
        public String getType() {
            return TYPE;
        }

        @Override
        public SearchRequest processRequest(SearchRequest request) {
            throw new UnsupportedOperationException("[" + TYPE + "] needs the pipeline context");
        }

        @Override
        public SearchRequest processRequest(SearchRequest request, PipelineProcessingContext context) {
            ResolvedQuota quota = quotaFor(request);
            if (quota == null || quota.policy().isActive() == false) {
                return request;
            }
            SearchSourceBuilder source = request.source();
            int from = Math.max(0, source.from());
            int size = source.size() < 0 ? 10 : source.size();
            source.from(0);
            source.size(Math.multiplyExact(from + size, oversample));
            List<String> added = new ArrayList<>();
            for (String field : quota.fields()) { // shop, protected mark, groups: each rule's field
                if (source.docValueFields() == null
                        || source.docValueFields().stream().noneMatch(f -> f.field.equals(field))) {
                    source.docValueField(field);
                    added.add(field);
                }
            }
            context.setAttribute(STATE, new State(quota, from, size, List.copyOf(added)));
            return request;
        }
    }

    final class Response extends AbstractProcessor implements SearchResponseProcessor {

        Response(String tag, String description, boolean ignoreFailure) {
            super(tag, description, ignoreFailure);
        }

        @Override
        public String getType() {
            return TYPE;
        }

        @Override
        public SearchResponse processResponse(SearchRequest request, SearchResponse response) {
            throw new UnsupportedOperationException("[" + TYPE + "] needs the pipeline context");
        }

        @Override
        public SearchResponse processResponse(
                SearchRequest request, SearchResponse response, PipelineProcessingContext context) {
            State state = (State) context.getAttribute(STATE);
            if (state == null) {
                return response;
            }
            SearchHit[] merged = response.getHits().getHits();
            SearchHit[] page = reorder(merged, state);
            for (String field : state.addedFields()) {
                for (SearchHit hit : page) {
                    hit.removeDocumentField(field);
                }
            }
            SearchHits hits = new SearchHits(
                    page, response.getHits().getTotalHits(), page.length == 0 ? Float.NaN : page[0].getScore());
            InternalSearchResponse sections = new InternalSearchResponse(
                    hits,
                    (org.opensearch.search.aggregations.InternalAggregations) response.getAggregations(),
                    response.getSuggest(),
                    null,
                    response.isTimedOut(),
                    response.isTerminatedEarly(),
                    response.getNumReducePhases());
            return new SearchResponse(
                    sections,
                    response.getScrollId(),
                    response.getTotalShards(),
                    response.getSuccessfulShards(),
                    response.getSkippedShards(),
                    response.getTook().millis(),
                    response.getShardFailures(),
                    response.getClusters());
        }
    }

    /** The keyword value of {@code field} of each of the first {@code window} hits (null where none), or null. */
    private static String[] values(SearchHit[] merged, int window, String field) {
        if (field == null) {
            return null;
        }
        String[] keys = new String[window];
        for (int i = 0; i < window; i++) {
            DocumentField value = merged[i].field(field);
            keys[i] = value == null || value.getValue() == null
                    ? null
                    : value.getValue().toString();
        }
        return keys;
    }

    /** Applies the quota to the merged window hits (scores >= 1), keeps the rest below, cuts the page. */
    SearchHit[] reorder(SearchHit[] merged, State state) {
        int window = 0;
        while (window < merged.length && merged[window].getScore() >= 1f) {
            window++;
        }
        float[] blend = new float[window];
        ResolvedQuota quota = state.quota();
        for (int i = 0; i < window; i++) {
            blend[i] = merged[i].getScore() - 1f;
        }
        Placement placement;
        if (quota.composite()) {
            // several rules (or the multi-group minimums): the shards' one placement procedure over the merged hits.
            // Diversity stays the shards' (the merged hits carry no vectors): each shard's diversified order is in its
            // scores, which the placement follows wherever the rules allow.
            WindowHits hits = WindowHits.of(blend).withShops(values(merged, window, quota.shopField()));
            if (quota.protectedField() != null) {
                hits = hits.withProtected(values(merged, window, quota.protectedField()), quota.protectedValue());
            }
            for (QuotaPolicy rule : ResolvedQuota.rules(quota.policy())) {
                if (rule instanceof GroupFairTopK groups && quota.groupField() != null) {
                    hits = hits.withGroups(values(merged, window, quota.groupField()), groups.groups());
                }
            }
            placement = reorderer.place(hits, quota.policy(), Diversity.OFF);
        } else {
            placement = reorderer.place(
                    blend, values(merged, window, quota.field()), quota.protectedValue(), quota.policy());
        }
        Reordering reordering = placement.reordering();
        stats.pipelineWindow(quota.policy().mode(), reordering);
        float[] scores = placement.scores();
        List<SearchHit> all = new ArrayList<>(merged.length);
        for (int p = 0; p < window; p++) {
            SearchHit hit = merged[reordering.order()[p]];
            hit.score(scores[p]);
            all.add(hit);
        }
        for (int i = window; i < merged.length; i++) {
            all.add(merged[i]);
        }
        int from = Math.min(state.from(), all.size());
        int to = Math.min(all.size(), state.from() + state.size());
        return all.subList(from, to).toArray(new SearchHit[0]);
    }
}
