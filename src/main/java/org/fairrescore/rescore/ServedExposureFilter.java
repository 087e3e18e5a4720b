package org.fairrescore.rescore;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.fairrescore.exposure.Credits;
import org.fairrescore.exposure.ExposureLedgers;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.stats.FairRescoreStats;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.cluster.ClusterState;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.common.document.DocumentField;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.search.SearchHit;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.rescore.RescorerBuilder;
import org.opensearch.tasks.Task;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Records the exposure a coordinating node serves: for a search with a {@code fair_semantic} clause over indices with
 * {@code index.fair_rescore.exposure.mode: amortized} (and {@code source: served}), each returned hit credits its shop
 * the position weight of its rank in the merged result ({@code from + i + 1}), after the search pipeline, if any, has
 * reordered it. The shop is read from the hit's doc values: the filter asks for the shop field when the request does
 * not, and takes it out of the hits again. Only the local ledger is written; nothing goes over the network, and a
 * failure to record never fails the search.
 */
public final class ServedExposureFilter implements ActionFilter {

    private static final Logger logger = LogManager.getLogger(ServedExposureFilter.class);

    /** After the query-model pin and prefetch ({@link CoordinatingSearchFilter#ORDER}). */
    static final int ORDER = CoordinatingSearchFilter.ORDER + 10;

    /** What to record of one search: per index name, its ledger and settings; the shop fields this filter added. */
    record Plan(Map<String, Target> indices, Set<String> addedFields, int from) {}

    /** One searched index that records served exposure. */
    record Target(String uuid, ExposureSettings settings) {}

    private final Supplier<ClusterState> state;
    private final Supplier<IndexNameExpressionResolver> resolver;
    private final ExposureLedgers ledgers;
    private final FairRescoreStats stats;

    public ServedExposureFilter(
            Supplier<ClusterState> state,
            Supplier<IndexNameExpressionResolver> resolver,
            ExposureLedgers ledgers,
            FairRescoreStats stats) {
        this.state = state;
        this.resolver = resolver;
        this.ledgers = ledgers;
        this.stats = stats;
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public <Request extends ActionRequest, Response extends ActionResponse> void apply(
            Task task,
            String action,
            Request request,
            ActionListener<Response> listener,
            ActionFilterChain<Request, Response> chain) {
        Plan plan = null;
        if (SearchAction.NAME.equals(action) && request instanceof SearchRequest search) {
            try {
                plan = plan(search);
            } catch (RuntimeException e) {
                logger.debug("fair_semantic: served exposure not recorded for this search", e);
            }
        }
        if (plan == null) {
            chain.proceed(task, action, request, listener);
            return;
        }
        Plan recorded = plan;
        chain.proceed(
                task,
                action,
                request,
                ActionListener.wrap(
                        response -> {
                            if (response instanceof SearchResponse searchResponse) {
                                try {
                                    record(searchResponse, recorded);
                                } catch (RuntimeException e) {
                                    logger.debug("fair_semantic: served exposure not recorded for this search", e);
                                }
                            }
                            listener.onResponse(response);
                        },
                        listener::onFailure));
    }

    /**
     * What to record of {@code search}, asking for the shop fields it needs; null for a search that records nothing (no
     * {@code fair_semantic} clause, a scroll or point in time, no hits asked for, no index in the amortized mode with
     * served exposure).
     */
    Plan plan(SearchRequest search) {
        SearchSourceBuilder source = search.source();
        if (source == null
                || source.rescores() == null
                || search.scroll() != null
                || source.pointInTimeBuilder() != null
                || source.size() == 0) {
            return null;
        }
        boolean semantic = false;
        for (RescorerBuilder<?> r : source.rescores()) {
            semantic |= r instanceof FairSemanticRescorerBuilder;
        }
        ClusterState current = state.get();
        IndexNameExpressionResolver names = resolver.get();
        if (semantic == false || current == null || names == null) {
            return null;
        }
        Map<String, Target> indices = new HashMap<>();
        for (String index : names.concreteIndexNames(current, search)) {
            IndexMetadata metadata = current.metadata().index(index);
            if (metadata != null) {
                ExposureSettings settings = ExposureSettings.of(metadata.getSettings());
                if (settings.recordsServed()) {
                    indices.put(index, new Target(metadata.getIndexUUID(), settings));
                }
            }
        }
        if (indices.isEmpty()) {
            return null;
        }
        Set<String> added = new HashSet<>();
        for (Target t : indices.values()) {
            String field = t.settings().shopField();
            boolean asked = source.docValueFields() != null
                    && source.docValueFields().stream().map(f -> f.field).anyMatch(field::equals);
            if (asked == false && added.add(field)) {
                source.docValueField(field);
            }
        }
        return new Plan(indices, added, Math.max(0, source.from()));
    }

    /** Credits each returned hit's shop with the weight of its rank, and takes out the shop fields it added. */
    void record(SearchResponse response, Plan plan) {
        SearchHit[] hits = response.getHits().getHits();
        Map<String, String[]> shopsByIndex = new HashMap<>();
        int recorded = 0;
        for (int i = 0; i < hits.length; i++) {
            SearchHit hit = hits[i];
            Target target = plan.indices().get(hit.getIndex());
            if (target != null) {
                DocumentField field = hit.field(target.settings().shopField());
                Object value = field == null ? null : field.getValue();
                if (value != null) {
                    shopsByIndex.computeIfAbsent(hit.getIndex(), k -> new String[hits.length])[i] = value.toString();
                    recorded++;
                }
            }
            for (String added : plan.addedFields()) {
                hit.removeDocumentField(added);
            }
        }
        long now = System.currentTimeMillis();
        for (Map.Entry<String, String[]> e : shopsByIndex.entrySet()) {
            Target target = plan.indices().get(e.getKey());
            int evicted = ledgers.credit(
                    target.uuid(),
                    Credits.served(e.getValue(), plan.from()),
                    now,
                    target.settings().decay());
            stats.exposureEvicted(evicted);
        }
        if (recorded > 0) {
            stats.servedSearch(recorded);
        }
    }
}
