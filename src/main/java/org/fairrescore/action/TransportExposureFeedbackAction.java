package org.fairrescore.action;

import org.fairrescore.exposure.Credits;
import org.fairrescore.exposure.ShopLedger;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies feedback to this node's ledger of the index: an impression at rank r adds the position weight
 * {@code 1/log2(1+r)} to its shop's exposure; a click at rank r adds {@code log2(1+r)} searches' worth of merit (the
 * inverse of the chance that rank was looked at: position-bias correction). 400 for the whole request when the index
 * does not take feedback.
 */
public final class TransportExposureFeedbackAction
        extends HandledTransportAction<ExposureFeedbackAction.Request, ExposureFeedbackAction.Response> {

    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final NodeExposure exposure;

    @Inject
    public TransportExposureFeedbackAction(
            TransportService transportService,
            ActionFilters actionFilters,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver,
            NodeExposure exposure) {
        super(ExposureFeedbackAction.NAME, transportService, actionFilters, ExposureFeedbackAction.Request::new);
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.exposure = exposure;
    }

    @Override
    protected void doExecute(
            Task task,
            ExposureFeedbackAction.Request request,
            ActionListener<ExposureFeedbackAction.Response> listener) {
        long start = System.nanoTime();
        try {
            IndexMetadata index = ExposureIndices.resolve(clusterService.state(), resolver, request.index());
            ExposureSettings settings = ExposureSettings.of(index.getSettings());
            if (settings.active() == false || settings.feedback() == false) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "index [%s] takes no feedback: it needs [%s] amortized, [%s] set and [%s] feedback (now %s, [%s], %s)",
                        index.getIndex().getName(),
                        FairRescoreSettings.EXPOSURE_MODE.getKey(),
                        FairRescoreSettings.SHOP_FIELD.getKey(),
                        FairRescoreSettings.EXPOSURE_SOURCE.getKey(),
                        FairRescoreSettings.EXPOSURE_MODE.get(index.getSettings()),
                        settings.shopField(),
                        FairRescoreSettings.EXPOSURE_SOURCE.get(index.getSettings())));
            }
            Map<String, ShopLedger.Credit> credits = new HashMap<>();
            List<ExposureFeedbackAction.Line> out =
                    new ArrayList<>(request.lines().size());
            long impressions = 0;
            long clicks = 0;
            long rejected = 0;
            for (ExposureFeedbackAction.Line line : request.lines()) {
                if (line.error() != null) {
                    out.add(line);
                    rejected++;
                    continue;
                }
                ShopLedger.Credit credit = line.kind() == ExposureFeedbackAction.Kind.IMPRESSION
                        ? new ShopLedger.Credit(Credits.positionWeight(line.rank()), 0)
                        : new ShopLedger.Credit(0, Credits.clickMerit(line.rank()));
                credits.merge(line.shop(), credit, (a, b) -> a.plus(b.exposure(), b.merit()));
                if (line.kind() == ExposureFeedbackAction.Kind.IMPRESSION) {
                    impressions++;
                } else {
                    clicks++;
                }
                out.add(line);
            }
            int evicted = exposure.ledgers()
                    .credit(index.getIndexUUID(), credits, System.currentTimeMillis(), settings.decay());
            exposure.stats().exposureEvicted(evicted);
            exposure.stats().feedback(impressions, clicks, rejected);
            listener.onResponse(new ExposureFeedbackAction.Response((System.nanoTime() - start) / 1_000_000, out));
        } catch (RuntimeException e) {
            listener.onFailure(e);
        }
    }
}
