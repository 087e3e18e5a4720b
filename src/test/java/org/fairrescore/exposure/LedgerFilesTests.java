package org.fairrescore.exposure;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

public class LedgerFilesTests {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void writesAndReadsBackEveryEntry() throws IOException {
        LedgerFiles files = new LedgerFiles(folder.getRoot().toPath().resolve("exposure"));
        assertEquals(List.of(), files.indices());
        Map<String, ShopLedger.Entry> entries = new LinkedHashMap<>();
        entries.put("acme", new ShopLedger.Entry(1.5, 0.25, 1_700_000_000_000L, 7));
        entries.put("bücher & co", new ShopLedger.Entry(0, 3, 1_700_000_000_001L, 9));
        files.write("uuid-a", entries);
        files.write("uuid-a", entries); // replaces
        assertEquals(entries, files.read("uuid-a"));
        assertEquals(List.of("uuid-a"), files.indices());
        assertNull(files.read("uuid-b"));
        files.delete("uuid-a");
        assertNull(files.read("uuid-a"));
    }

    @Test
    public void aTornOrForeignFileIsRefused() throws IOException {
        LedgerFiles files = new LedgerFiles(folder.getRoot().toPath());
        files.write("uuid-a", Map.of("acme", new ShopLedger.Entry(1, 1, 1, 1)));
        Path file = folder.getRoot().toPath().resolve("uuid-a" + LedgerFiles.SUFFIX);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        assertThrows(IOException.class, () -> files.read("uuid-a"));
        Files.move(
                folder.getRoot().toPath().resolve("uuid-a" + LedgerFiles.SUFFIX),
                folder.getRoot().toPath().resolve("x"));
        files.write("uuid-b", Map.of());
        Files.copy(folder.getRoot().toPath().resolve("uuid-b" + LedgerFiles.SUFFIX), file);
        IOException e = assertThrows(IOException.class, () -> files.read("uuid-a"));
        assertEquals(true, e.getMessage().contains("uuid-b"));
        assertThrows(IllegalArgumentException.class, () -> files.read("../etc"));
    }
}
