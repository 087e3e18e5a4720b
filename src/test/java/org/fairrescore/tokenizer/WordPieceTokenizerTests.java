package org.fairrescore.tokenizer;

import org.fairrescore.model.BundledModel;
import org.fairrescore.model.EmbedTestSupport;
import org.fairrescore.model.ModelManifest;
import org.fairrescore.model.Sha256;
import org.fairrescore.model.TextRole;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.fairrescore.model.EmbedTestSupport.BGE_EN;
import static org.fairrescore.model.EmbedTestSupport.BGE_ZH;
import static org.fairrescore.model.EmbedTestSupport.MINILM;
import static org.fairrescore.model.EmbedTestSupport.ints;
import static org.fairrescore.model.EmbedTestSupport.objects;
import static org.fairrescore.model.EmbedTestSupport.show;
import static org.fairrescore.model.EmbedTestSupport.strings;

/** Token ids against the Rust {@code tokenizers} crate (fixtures from integration-test/reference). */
public class WordPieceTokenizerTests extends OpenSearchTestCase {

    private static WordPieceTokenizer load(String id) throws IOException {
        return WordPieceTokenizer.fromFile(
                EmbedTestSupport.modelsDir().resolve(id).resolve(BundledModel.TOKENIZER_FILE));
    }

    public void testMiniLmMatchesReference() throws IOException {
        assertMatchesReference(MINILM);
    }

    public void testBgeZhMatchesReference() throws IOException {
        assertMatchesReference(BGE_ZH);
    }

    public void testBgeEnMatchesReference() throws IOException {
        assertMatchesReference(BGE_EN);
    }

    /** The manifest's role prefix put in front of the text by {@link TextRole#apply}, then tokenized: as the reference did. */
    public void testBgeEnPrefixedTextsMatchReference() throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(BGE_EN + "/tokens.json");
        ModelManifest manifest =
                ModelManifest.read(EmbedTestSupport.modelsDir().resolve(BGE_EN).resolve(ModelManifest.FILE_NAME));
        assertEquals(fixture.get("query_prefix"), manifest.queryPrefix());
        assertEquals(fixture.get("document_prefix"), manifest.documentPrefix());
        WordPieceTokenizer tokenizer = load(BGE_EN);
        Set<TextRole> roles = new HashSet<>();
        int truncatedCases = 0;
        StringBuilder failures = new StringBuilder();
        for (Map<String, Object> c : objects(fixture.get("role_cases"))) {
            TextRole role = TextRole.of((String) c.get("role"));
            String text = (String) c.get("text");
            int maxTokens = ((Number) c.get("max_tokens")).intValue();
            roles.add(role);
            String prefixed = role.apply(manifest, text);
            assertEquals(c.get("prefixed_text"), prefixed);
            Encoding e = tokenizer.encode(prefixed, maxTokens);
            boolean expectedTruncated = (Boolean) c.get("truncated");
            truncatedCases += expectedTruncated ? 1 : 0;
            if (!Arrays.equals(ints(c.get("ids")), e.ids())
                    || !Arrays.equals(strings(c.get("tokens")), e.tokens())
                    || expectedTruncated != e.truncated()) {
                failures.append("\n  ")
                        .append(role.id())
                        .append(' ')
                        .append(show(prefixed))
                        .append(" @")
                        .append(maxTokens)
                        .append("\n    expected ")
                        .append(Arrays.toString(strings(c.get("tokens"))))
                        .append(" truncated=")
                        .append(expectedTruncated)
                        .append("\n    actual   ")
                        .append(Arrays.toString(e.tokens()))
                        .append(" truncated=")
                        .append(e.truncated());
            }
        }
        assertTrue("mismatches for " + BGE_EN + " in roles:" + failures, failures.length() == 0);
        assertEquals(Set.of(TextRole.values()), roles);
        assertTrue("role cases should exercise truncation", truncatedCases >= 4);
    }

    private void assertMatchesReference(String id) throws IOException {
        Map<String, Object> fixture = EmbedTestSupport.fixture(id + "/tokens.json");
        assertEquals(
                "fixture was made from another tokenizer.json",
                fixture.get("tokenizer_sha256"),
                Sha256.of(EmbedTestSupport.modelsDir().resolve(id).resolve(BundledModel.TOKENIZER_FILE)));
        WordPieceTokenizer tokenizer = load(id);
        Set<String> texts = new HashSet<>();
        int truncatedCases = 0;
        StringBuilder failures = new StringBuilder();
        for (Map<String, Object> c : objects(fixture.get("cases"))) {
            String text = (String) c.get("text");
            int maxTokens = ((Number) c.get("max_tokens")).intValue();
            texts.add(text);
            Encoding e = tokenizer.encode(text, maxTokens);
            int[] expectedIds = ints(c.get("ids"));
            String[] expectedTokens = strings(c.get("tokens"));
            boolean expectedTruncated = (Boolean) c.get("truncated");
            truncatedCases += expectedTruncated ? 1 : 0;
            if (!Arrays.equals(expectedIds, e.ids())
                    || !Arrays.equals(expectedTokens, e.tokens())
                    || expectedTruncated != e.truncated()) {
                failures.append("\n  ")
                        .append(show(text))
                        .append(" @")
                        .append(maxTokens)
                        .append("\n    expected ")
                        .append(Arrays.toString(expectedTokens))
                        .append(" truncated=")
                        .append(expectedTruncated)
                        .append("\n    actual   ")
                        .append(Arrays.toString(e.tokens()))
                        .append(" truncated=")
                        .append(e.truncated());
            }
            assertTrue("longer than the limit: " + e, e.length() <= maxTokens);
        }
        assertTrue("mismatches for " + id + ":" + failures, failures.length() == 0);
        assertTrue("fixture should hold at least 50 texts, has " + texts.size(), texts.size() >= 50);
        assertTrue("fixture should exercise truncation", truncatedCases >= 10);
    }

    public void testEmptyAndSpecialTokens() throws IOException {
        WordPieceTokenizer t = load(MINILM);
        Encoding empty = t.encode("", 128);
        assertArrayEquals(new int[] {101, 102}, empty.ids());
        assertFalse(empty.truncated());
        assertEquals(101, t.clsId());
        assertEquals(102, t.sepId());
        assertEquals(100, t.unkId());
        assertEquals(0, t.padId());
        assertEquals("[MASK]", t.token(103));
        assertTrue(t.lowercases());
        assertFalse(load(BGE_ZH).lowercases());
        assertTrue(load(BGE_EN).lowercases());
    }

    public void testTruncationKeepsClsAndSep() throws IOException {
        WordPieceTokenizer t = load(MINILM);
        Encoding full = t.encode("one two three four five", 128);
        assertEquals(7, full.length());
        Encoding two = t.encode("one two three four five", 2);
        assertArrayEquals(new int[] {101, 102}, two.ids());
        assertTrue(two.truncated());
        Encoding exact = t.encode("one two three four five", 7);
        assertArrayEquals(full.ids(), exact.ids());
        assertFalse(exact.truncated());
        Encoding cut = t.encode("one two three four five", 6);
        assertEquals(6, cut.length());
        assertEquals(102, cut.ids()[5]);
        assertArrayEquals(Arrays.copyOf(full.ids(), 5), Arrays.copyOf(cut.ids(), 5));
        assertTrue(cut.truncated());
    }

    public void testLoneSurrogatesAreDroppedLikeControlCharacters() throws IOException {
        WordPieceTokenizer t = load(MINILM);
        assertEquals(t.encode("shoes", 16), t.encode("sho\uD800es", 16));
        assertEquals(t.encode("shoes", 16), t.encode("shoes\uDC00", 16));
        assertEquals(
                List.of("[CLS]", "[UNK]", "[SEP]"),
                List.of(t.encode("\uD83D\uDE00", 16).tokens()));
    }

    public void testRejectsBadArguments() throws IOException {
        WordPieceTokenizer t = load(MINILM);
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> t.encode("x", 1));
        assertTrue(e.getMessage(), e.getMessage().contains("at least 2"));
        expectThrows(NullPointerException.class, () -> t.encode(null, 10));
    }

    public void testRandomTextsNeverExceedLimitAndAreDeterministic() throws IOException {
        WordPieceTokenizer t = load(randomFrom(MINILM, BGE_EN, BGE_ZH));
        for (int i = 0; i < 200; i++) {
            String text = randomBoolean()
                    ? randomRealisticUnicodeOfLengthBetween(0, 300)
                    : randomUnicodeOfLengthBetween(0, 300);
            int max = randomIntBetween(2, 64);
            Encoding a = t.encode(text, max);
            assertTrue(a.length() <= max);
            assertEquals(t.clsId(), a.ids()[0]);
            assertEquals(t.sepId(), a.ids()[a.length() - 1]);
            assertEquals(a, t.encode(text, max));
            for (int k = 0; k < a.length(); k++) {
                assertEquals(t.token(a.ids()[k]), a.tokens()[k]);
            }
            if (!a.truncated()) {
                assertEquals(
                        "a larger limit must not change an untruncated encoding",
                        a.ids().length,
                        t.encode(text, max + 50).length());
            }
        }
    }

    public void testUnsupportedTokenizerJsonIsRejectedWithSource() {
        String bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}";
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromJson(bpe.getBytes(StandardCharsets.UTF_8), "bpe-tokenizer.json"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("bpe-tokenizer.json: model.type must be WordPiece"));

        String noUnk =
                "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"vocab\":{\"[CLS]\":0,\"[SEP]\":1}},"
                        + "\"normalizer\":{\"type\":\"BertNormalizer\",\"lowercase\":true},\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                        + "\"post_processor\":{\"type\":\"BertProcessing\",\"cls\":[\"[CLS]\",0],\"sep\":[\"[SEP]\",1]}}";
        e = expectThrows(
                IllegalArgumentException.class,
                () -> WordPieceTokenizer.fromJson(noUnk.getBytes(StandardCharsets.UTF_8), "x.json"));
        assertTrue(e.getMessage(), e.getMessage().contains("unk token [[UNK]] is not in the vocabulary"));

        IOException io = expectThrows(
                IOException.class,
                () -> WordPieceTokenizer.fromJson("{\"model\":".getBytes(StandardCharsets.UTF_8), "broken.json"));
        assertTrue(io.getMessage(), io.getMessage().startsWith("broken.json: invalid JSON"));
    }

    public void testSmallHandWrittenVocabulary() throws IOException {
        String json =
                "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":5,"
                        + "\"vocab\":{\"[PAD]\":0,\"[UNK]\":1,\"[CLS]\":2,\"[SEP]\":3,\"un\":4,\"##aff\":5,\"##able\":6,\"aff\":7,\",\":8,\"##a\":9,\"a\":10}},"
                        + "\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,\"strip_accents\":null,\"lowercase\":true},"
                        + "\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                        + "\"post_processor\":{\"type\":\"BertProcessing\",\"cls\":[\"[CLS]\",2],\"sep\":[\"[SEP]\",3]},"
                        + "\"added_tokens\":[{\"id\":1,\"content\":\"[UNK]\",\"special\":true}]}";
        WordPieceTokenizer t = WordPieceTokenizer.fromJson(json.getBytes(StandardCharsets.UTF_8), "hand.json");
        // greedy longest match: "unaffable" -> un ##aff ##able is 9 chars, over the 5-char limit -> [UNK]
        assertEquals(
                List.of("[CLS]", "[UNK]", "[SEP]"),
                List.of(t.encode("unaffable", 16).tokens()));
        assertEquals(
                List.of("[CLS]", "un", "##aff", "[SEP]"),
                List.of(t.encode("UNAFF", 16).tokens()));
        assertEquals(
                List.of("[CLS]", "aff", ",", "a", "##a", "[SEP]"),
                List.of(t.encode("Äff,aa", 16).tokens()));
        assertEquals(
                List.of("[CLS]", "[UNK]", "a", "[SEP]"),
                List.of(t.encode("unx a", 16).tokens()));
        assertEquals(
                List.of("[CLS]", "a", "[UNK]", "a", "[SEP]"),
                List.of(t.encode("a[UNK]a", 16).tokens()));
    }
}
