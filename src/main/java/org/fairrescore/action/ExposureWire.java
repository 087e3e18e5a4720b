package org.fairrescore.action;

import org.fairrescore.exposure.LedgerDelta;
import org.fairrescore.exposure.ShopLedger;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** How ledger deltas and what a node has seen of its peers' ledgers travel between nodes. */
final class ExposureWire {

    private ExposureWire() {}

    static void writeDelta(StreamOutput out, LedgerDelta delta) throws IOException {
        out.writeString(delta.index());
        out.writeLong(delta.epoch());
        out.writeVLong(delta.version());
        out.writeBoolean(delta.full());
        out.writeVInt(delta.entries().size());
        for (Map.Entry<String, ShopLedger.Entry> e : delta.entries().entrySet()) {
            out.writeString(e.getKey());
            out.writeDouble(e.getValue().exposure());
            out.writeDouble(e.getValue().merit());
            out.writeVLong(e.getValue().at());
            out.writeVLong(e.getValue().version());
        }
    }

    static LedgerDelta readDelta(StreamInput in) throws IOException {
        String index = in.readString();
        long epoch = in.readLong();
        long version = in.readVLong();
        boolean full = in.readBoolean();
        int n = in.readVInt();
        Map<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(
                    in.readString(),
                    new ShopLedger.Entry(in.readDouble(), in.readDouble(), in.readVLong(), in.readVLong()));
        }
        return new LedgerDelta(index, epoch, version, full, entries);
    }

    /** Per peer node id, per index UUID: the epoch and version of the copy the sender holds. */
    static void writeSeen(StreamOutput out, Map<String, Map<String, LedgerDelta.Seen>> seen) throws IOException {
        out.writeVInt(seen.size());
        for (Map.Entry<String, Map<String, LedgerDelta.Seen>> node : seen.entrySet()) {
            out.writeString(node.getKey());
            out.writeVInt(node.getValue().size());
            for (Map.Entry<String, LedgerDelta.Seen> index : node.getValue().entrySet()) {
                out.writeString(index.getKey());
                out.writeLong(index.getValue().epoch());
                out.writeVLong(index.getValue().version());
            }
        }
    }

    static Map<String, Map<String, LedgerDelta.Seen>> readSeen(StreamInput in) throws IOException {
        int nodes = in.readVInt();
        Map<String, Map<String, LedgerDelta.Seen>> seen = new LinkedHashMap<>();
        for (int i = 0; i < nodes; i++) {
            String node = in.readString();
            int indices = in.readVInt();
            Map<String, LedgerDelta.Seen> perIndex = new LinkedHashMap<>();
            for (int j = 0; j < indices; j++) {
                perIndex.put(in.readString(), new LedgerDelta.Seen(in.readLong(), in.readVLong()));
            }
            seen.put(node, perIndex);
        }
        return seen;
    }
}
