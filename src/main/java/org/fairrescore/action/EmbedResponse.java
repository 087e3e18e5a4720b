package org.fairrescore.action;

import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The model's view of each text: tokens (special tokens included), their ids, whether it was truncated, the vector. */
public final class EmbedResponse extends ActionResponse implements ToXContentObject {

    /**
     * One text.
     *
     * @param vector the unit vector the rescorer uses for this text as a query, or null when not asked for
     */
    public record Embedding(String[] tokens, int[] tokenIds, boolean truncated, float[] vector) implements Writeable {

        public Embedding(StreamInput in) throws IOException {
            this(
                    in.readStringArray(),
                    in.readVIntArray(),
                    in.readBoolean(),
                    in.readBoolean() ? in.readFloatArray() : null);
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            out.writeStringArray(tokens);
            out.writeVIntArray(tokenIds);
            out.writeBoolean(truncated);
            out.writeBoolean(vector != null);
            if (vector != null) {
                out.writeFloatArray(vector);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Embedding e
                    && truncated == e.truncated
                    && Arrays.equals(tokens, e.tokens)
                    && Arrays.equals(tokenIds, e.tokenIds)
                    && Arrays.equals(vector, e.vector);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(tokens), Arrays.hashCode(tokenIds), truncated, Arrays.hashCode(vector));
        }

        @Override
        public String toString() {
            return "Embedding{tokens=" + Arrays.toString(tokens) + ", truncated=" + truncated + ", dims="
                    + (vector == null ? 0 : vector.length) + "}";
        }
    }

    private final String model;
    private final String as;
    private final String prefix;
    private final int dims;
    private final int maxTokens;
    private final List<Embedding> embeddings;

    /**
     * @param as     {@code query} or {@code document}: the role the texts were embedded in
     * @param prefix the model's prefix for that role, put in front of every text (empty for most models)
     */
    public EmbedResponse(String model, String as, String prefix, int dims, int maxTokens, List<Embedding> embeddings) {
        this.model = Objects.requireNonNull(model);
        this.as = Objects.requireNonNull(as);
        this.prefix = Objects.requireNonNull(prefix);
        this.dims = dims;
        this.maxTokens = maxTokens;
        this.embeddings = List.copyOf(embeddings);
    }

    public EmbedResponse(StreamInput in) throws IOException {
        super(in);
        this.model = in.readString();
        this.as = in.readString();
        this.prefix = in.readString();
        this.dims = in.readVInt();
        this.maxTokens = in.readVInt();
        this.embeddings = in.readList(Embedding::new);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeString(as);
        out.writeString(prefix);
        out.writeVInt(dims);
        out.writeVInt(maxTokens);
        out.writeList(embeddings);
    }

    public String model() {
        return model;
    }

    public String as() {
        return as;
    }

    public String prefix() {
        return prefix;
    }

    public int dims() {
        return dims;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public List<Embedding> embeddings() {
        return embeddings;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.field("as", as);
        builder.field("prefix", prefix);
        builder.field("dims", dims);
        builder.field("max_tokens", maxTokens);
        builder.startArray("embeddings");
        for (Embedding e : embeddings) {
            builder.startObject();
            builder.array("tokens", e.tokens());
            builder.array("token_ids", e.tokenIds());
            builder.field("token_count", e.tokenIds().length);
            builder.field("truncated", e.truncated());
            if (e.vector() != null) {
                builder.array("vector", e.vector());
            }
            builder.endObject();
        }
        builder.endArray();
        builder.endObject();
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbedResponse r
                && dims == r.dims
                && maxTokens == r.maxTokens
                && model.equals(r.model)
                && as.equals(r.as)
                && prefix.equals(r.prefix)
                && embeddings.equals(r.embeddings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, as, prefix, dims, maxTokens, embeddings);
    }
}
