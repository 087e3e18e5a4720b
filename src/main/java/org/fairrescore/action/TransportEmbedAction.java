package org.fairrescore.action;

import org.opensearch.action.ActionRunnable;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.HandledTransportAction;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.action.ActionListener;
import org.opensearch.tasks.Task;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/**
 * Runs {@code _embed} on the node that received it, on the {@code search} thread pool: inference never runs on a
 * network thread, and a full search queue rejects the request (429) as it would a search.
 */
public final class TransportEmbedAction extends HandledTransportAction<EmbedRequest, EmbedResponse> {

    /** The pool inference runs on. */
    public static final String EXECUTOR = ThreadPool.Names.SEARCH;

    private final ThreadPool threadPool;
    private final NodeEmbedder embedder;

    @Inject
    public TransportEmbedAction(
            TransportService transportService,
            ActionFilters actionFilters,
            ThreadPool threadPool,
            NodeEmbedder embedder) {
        super(EmbedAction.NAME, transportService, actionFilters, EmbedRequest::new);
        this.threadPool = threadPool;
        this.embedder = embedder;
    }

    @Override
    protected void doExecute(Task task, EmbedRequest request, ActionListener<EmbedResponse> listener) {
        threadPool.executor(EXECUTOR).execute(ActionRunnable.supply(listener, () -> embedder.embed(request)));
    }
}
