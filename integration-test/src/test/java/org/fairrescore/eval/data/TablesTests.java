package org.fairrescore.eval.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TablesTests {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path write(String name, String content) throws IOException {
        Path p = tmp.getRoot().toPath().resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    public void csvWithQuotedCommasQuotesAndLineBreaks() throws IOException {
        Path csv = write("t.csv", "\uFEFFid,title,brand\n"
            + "1,\"Shoes, running\",Acme\n"
            + "2,\"The \"\"best\"\" mat\",\n"
            + "3,\"two\nlines\",Zed\n");
        List<Map<String, String>> rows = Tables.readAll(csv);
        assertEquals(3, rows.size());
        assertEquals("Shoes, running", rows.get(0).get("title"));
        assertEquals("The \"best\" mat", rows.get(1).get("title"));
        assertEquals("", rows.get(1).get("brand"));
        assertEquals("two\nlines", rows.get(2).get("title"));
        assertEquals("Zed", rows.get(2).get("brand"));
        assertEquals(List.of("id", "title", "brand"), List.copyOf(rows.get(0).keySet()));
    }

    @Test
    public void aTabInTheHeaderMeansTabSeparated() throws IOException {
        // WANDS writes tab-separated files named .csv; commas are then plain text
        Path tsv = write("product.csv", "product_id\tproduct_name\n7\tsofa, grey\n");
        assertEquals(List.of(Map.of("product_id", "7", "product_name", "sofa, grey")), Tables.readAll(tsv));
    }

    @Test
    public void jsonLinesAndGzip() throws IOException {
        Path jsonl = tmp.getRoot().toPath().resolve("p.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(jsonl))) {
            out.write(("{\"product_id\":\"B1\",\"product_brand\":null,\"n\":3,\"bullets\":[\"a\",\"b\"]}\n\n"
                + "{\"product_id\":\"B2\",\"product_brand\":\"Acme\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        List<Map<String, String>> rows = Tables.readAll(jsonl);
        assertEquals(2, rows.size());
        assertEquals("", rows.get(0).get("product_brand"));
        assertEquals("3", rows.get(0).get("n"));
        assertEquals("a b", rows.get(0).get("bullets"));
        assertEquals("Acme", rows.get(1).get("product_brand"));
    }

    @Test
    public void malformedInputFailsWithTheFileAndRecord() throws IOException {
        Path ragged = write("r.csv", "a,b\n1,2\n3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tables.readAll(ragged));
        assertTrue(e.getMessage(), e.getMessage().contains("r.csv record 3 has 1 fields, the header 2"));
        Path parquet = write("x.parquet", "PAR1");
        e = assertThrows(IllegalArgumentException.class, () -> Tables.readAll(parquet));
        assertTrue(e.getMessage(), e.getMessage().contains("to_csv"));
        Path unterminated = write("u.csv", "a\n\"open\n");
        assertThrows(IllegalArgumentException.class, () -> Tables.readAll(unterminated));
        assertThrows(RuntimeException.class, () -> Tables.readAll(tmp.getRoot().toPath().resolve("missing.csv")));
    }
}
