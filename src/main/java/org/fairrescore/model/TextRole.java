package org.fairrescore.model;

/**
 * Whether a text is embedded as a query or as a document. Models trained with instructions expect a different prefix
 * for each ({@code query_prefix} and {@code document_prefix} of the manifest); every path that embeds a text names its
 * role, so the rescorer, the ingest processor, on-the-fly vectors and {@code _embed} apply the same prefix.
 */
public enum TextRole {
    QUERY("query"),
    DOCUMENT("document");

    private final String id;

    TextRole(String id) {
        this.id = id;
    }

    /** The name used in requests ({@code _embed}'s {@code as}). */
    public String id() {
        return id;
    }

    /** The role named {@code id}, or an exception listing the names. */
    public static TextRole of(String id) {
        for (TextRole role : values()) {
            if (role.id.equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("must be [query] or [document], got [" + id + "]");
    }

    /** The text as the model reads it in this role: the manifest's prefix, then the text. */
    public String apply(ModelManifest manifest, String text) {
        String prefix = this == QUERY ? manifest.queryPrefix() : manifest.documentPrefix();
        return prefix.isEmpty() ? text : prefix + text;
    }
}
