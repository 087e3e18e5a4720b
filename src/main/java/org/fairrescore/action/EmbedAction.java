package org.fairrescore.action;

import org.opensearch.action.ActionType;

/** {@code POST _plugins/_fair_rescore/_embed}: tokens, token ids and vectors of texts, as the node's model sees them. */
public final class EmbedAction extends ActionType<EmbedResponse> {

    public static final String NAME = "cluster:admin/fair_rescore/embed";
    public static final EmbedAction INSTANCE = new EmbedAction();

    private EmbedAction() {
        super(NAME, EmbedResponse::new);
    }
}
