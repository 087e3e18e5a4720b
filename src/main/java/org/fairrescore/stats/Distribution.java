package org.fairrescore.stats;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;

import java.io.IOException;

/**
 * A reading of a {@link Histogram}: how many values, their sum, three percentiles (each at most 12.5 % above the
 * true value) and the maximum.
 */
public record Distribution(long count, long sum, long p50, long p90, long p99, long max) implements Writeable {

    public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, 0, 0);

    public Distribution(StreamInput in) throws IOException {
        this(in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong(), in.readVLong());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeVLong(count);
        out.writeVLong(sum);
        out.writeVLong(p50);
        out.writeVLong(p90);
        out.writeVLong(p99);
        out.writeVLong(max);
    }

    /** The mean, 0 when empty. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /**
     * Writes {@code name: {count, mean<suffix>, p50<suffix>, p90<suffix>, p99<suffix>, max<suffix>}}; the suffix names
     * the unit, e.g. {@code _in_micros}, or is empty for plain counts.
     */
    public void toXContent(XContentBuilder builder, String name, String suffix) throws IOException {
        builder.startObject(name);
        builder.field("count", count);
        builder.field("mean" + suffix, Math.round(mean() * 100) / 100.0);
        builder.field("p50" + suffix, p50);
        builder.field("p90" + suffix, p90);
        builder.field("p99" + suffix, p99);
        builder.field("max" + suffix, max);
        builder.endObject();
    }
}
