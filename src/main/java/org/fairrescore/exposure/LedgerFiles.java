package org.fairrescore.exposure;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * This node's own exposure ledgers on disk: one file per index, {@code <index uuid>.ledger}, in the node's data path.
 * Written whole to a temporary file and moved over the old one, so a crash leaves the previous file; a checksum
 * guards against a torn or foreign file, which is then ignored (that index starts from nothing on this node). Only
 * this node's part is written: the peers' parts come back from the peers at the first sync.
 */
public final class LedgerFiles {

    static final String SUFFIX = ".ledger";
    private static final int MAGIC = 0x46524c47; // "FRLG"
    private static final int FORMAT = 1;

    private final Path directory;

    public LedgerFiles(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Writes {@code entries} of {@code index} (a UUID), replacing the file of an earlier write. */
    public void write(String index, Map<String, ShopLedger.Entry> entries) throws IOException {
        Files.createDirectories(directory);
        Path target = file(index);
        Path tmp = directory.resolve(index + SUFFIX + ".tmp");
        CRC32 crc = new CRC32();
        try (OutputStream raw = Files.newOutputStream(tmp);
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw), crc);
                DataOutputStream out = new DataOutputStream(checked)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(index);
            out.writeInt(entries.size());
            for (Map.Entry<String, ShopLedger.Entry> e : entries.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue().exposure());
                out.writeDouble(e.getValue().merit());
                out.writeLong(e.getValue().at());
                out.writeLong(e.getValue().version());
            }
            out.flush();
            // the checksum of everything before it, written past the checked stream
            new DataOutputStream(raw).writeLong(crc.getValue());
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads the ledger of {@code index}; null when there is no file.
     *
     * @throws IOException when the file is torn, foreign or of another index
     */
    public Map<String, ShopLedger.Entry> read(String index) throws IOException {
        Path f = file(index);
        if (Files.exists(f) == false) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(f);
        if (bytes.length < Long.BYTES + 12) {
            throw new IOException(f + " is too short to be an exposure ledger");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        long stored =
                ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong();
        if (stored != crc.getValue()) {
            throw new IOException(f + " is torn or damaged (checksum mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - Long.BYTES))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(f + " is not an exposure ledger");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IOException(f + " has format " + format + ", this node reads " + FORMAT);
            }
            String written = in.readUTF();
            if (written.equals(index) == false) {
                throw new IOException(f + " holds the ledger of index " + written);
            }
            int n = in.readInt();
            Map<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String shop = in.readUTF();
                entries.put(shop, new ShopLedger.Entry(in.readDouble(), in.readDouble(), in.readLong(), in.readLong()));
            }
            return entries;
        }
    }

    /** The indices (UUIDs) with a file here. */
    public List<String> indices() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(directory) == false) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                out.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        }
        return out;
    }

    /** Deletes the file of {@code index}, if any. */
    public void delete(String index) throws IOException {
        Files.deleteIfExists(file(index));
    }

    private Path file(String index) {
        if (index.isEmpty() || index.contains("/") || index.contains("\\") || index.startsWith(".")) {
            throw new IllegalArgumentException("not an index UUID: [" + index + "]");
        }
        return directory.resolve(index + SUFFIX);
    }
}
