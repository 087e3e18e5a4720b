package org.fairrescore.action;

import org.fairrescore.exposure.ExposureView;
import org.fairrescore.settings.ExposureSettings;
import org.fairrescore.settings.FairRescoreSettings;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.transport.TransportService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Syncs this node's copy of every node's ledgers, then answers from the index's merged view; a {@code local} request
 * answers from the view as it stands.
 */
public final class TransportExposureGetAction
        extends HandledTransportAction<ExposureGetAction.Request, ExposureGetAction.Response> {

    private final ClusterService clusterService;
    private final IndexNameExpressionResolver resolver;
    private final NodeExposure exposure;

    @Inject
    public TransportExposureGetAction(
            TransportService transportService,
            ActionFilters actionFilters,
            ClusterService clusterService,
            IndexNameExpressionResolver resolver,
            NodeExposure exposure) {
        super(ExposureGetAction.NAME, transportService, actionFilters, ExposureGetAction.Request::new);
        this.clusterService = clusterService;
        this.resolver = resolver;
        this.exposure = exposure;
    }

    @Override
    protected void doExecute(
            Task task, ExposureGetAction.Request request, ActionListener<ExposureGetAction.Response> listener) {
        IndexMetadata index;
        try {
            index = ExposureIndices.resolve(clusterService.state(), resolver, request.index());
        } catch (RuntimeException e) {
            listener.onFailure(e);
            return;
        }
        if (request.local()) {
            listener.onResponse(render(index, request));
            return;
        }
        exposure.syncNow(
                ActionListener.wrap(ignored -> listener.onResponse(render(index, request)), listener::onFailure));
    }

    private ExposureGetAction.Response render(IndexMetadata index, ExposureGetAction.Request request) {
        Settings settings = index.getSettings();
        ExposureSettings config = ExposureSettings.of(settings);
        ExposureView view = exposure.ledgers().view(index.getIndexUUID());
        List<ExposureGetAction.ShopLine> lines = new ArrayList<>(view.shops().size());
        for (Map.Entry<String, ExposureView.Shop> e : view.shops().entrySet()) {
            ExposureView.Standing s = view.standing(e.getKey(), config.target());
            lines.add(new ExposureGetAction.ShopLine(
                    e.getKey(),
                    s.exposure(),
                    s.merit(),
                    s.target(),
                    s.ratio(),
                    s.deficit(),
                    view.boost(e.getKey(), config.target(), config.strength()),
                    s.updated()));
        }
        Comparator<ExposureGetAction.ShopLine> order = comparator(request.sort());
        if (request.ascending() == false) {
            order = order.reversed();
        }
        lines.sort(order.thenComparing(ExposureGetAction.ShopLine::shop));
        return new ExposureGetAction.Response(
                index.getIndex().getName(),
                index.getIndexUUID(),
                FairRescoreSettings.EXPOSURE_MODE.get(settings),
                config.target().id(),
                config.strength(),
                FairRescoreSettings.EXPOSURE_HALF_LIFE.get(settings).getStringRep(),
                FairRescoreSettings.EXPOSURE_SOURCE.get(settings),
                config.shopField(),
                view.at(),
                view.totalExposure(),
                view.totalMerit(),
                view.shops().size(),
                view.shopsWithMerit(),
                lines.subList(0, Math.min(request.size(), lines.size())));
    }

    /** Ascending by the field; NaN ratios (no exposure, no target) sort lowest. */
    private static Comparator<ExposureGetAction.ShopLine> comparator(ExposureGetAction.Sort sort) {
        return switch (sort) {
            case EXPOSURE -> Comparator.comparingDouble(ExposureGetAction.ShopLine::exposure);
            case MERIT -> Comparator.comparingDouble(ExposureGetAction.ShopLine::merit);
            case TARGET -> Comparator.comparingDouble(ExposureGetAction.ShopLine::target);
            case RATIO ->
                Comparator.comparingDouble(l -> Double.isNaN(l.ratio()) ? Double.NEGATIVE_INFINITY : l.ratio());
            case DEFICIT -> Comparator.comparingDouble(ExposureGetAction.ShopLine::deficit);
            case BOOST -> Comparator.comparingDouble(ExposureGetAction.ShopLine::boost);
            case SHOP -> Comparator.comparing(ExposureGetAction.ShopLine::shop);
            case LAST_UPDATE -> Comparator.comparingLong(ExposureGetAction.ShopLine::lastUpdate);
        };
    }
}
