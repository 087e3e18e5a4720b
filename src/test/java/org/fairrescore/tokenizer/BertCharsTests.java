package org.fairrescore.tokenizer;

import org.fairrescore.model.BundledModel;
import org.fairrescore.model.EmbedTestSupport;
import org.opensearch.test.OpenSearchTestCase;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.fairrescore.model.EmbedTestSupport.show;

/**
 * Every code point's class (removed, whitespace, CJK, punctuation) and its lowercase/accent-stripped form against the
 * Rust crate's, scanned over all of Unicode by integration-test/reference (fixtures/bert-char-classes.json).
 */
public class BertCharsTests extends OpenSearchTestCase {

    private static Map<String, Object> fixture() {
        return EmbedTestSupport.fixture("bert-char-classes.json");
    }

    private static BitSet set(String name) {
        BitSet bits = new BitSet(0x110000);
        for (Object r : (List<?>) fixture().get(name)) {
            List<?> range = (List<?>) r;
            bits.set(((Number) range.get(0)).intValue(), ((Number) range.get(1)).intValue() + 1);
        }
        return bits;
    }

    private static boolean surrogate(int cp) {
        return cp >= 0xD800 && cp <= 0xDFFF;
    }

    public void testCleanTextRemovesTheSameCodePoints() {
        BitSet removed = set("removed");
        StringBuilder diff = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (surrogate(cp)) {
                continue;
            }
            boolean ours = cp == 0 || cp == 0xFFFD || BertChars.isControl(cp);
            if (ours != removed.get(cp) && diff.length() < 2000) {
                diff.append(String.format(java.util.Locale.ROOT, " U+%04X(ours=%s)", cp, ours));
            }
        }
        assertEquals("removed by clean_text differs:" + diff, 0, diff.length());
        assertTrue(removed.cardinality() > 130_000);
    }

    public void testWhitespaceChineseAndPunctuationClasses() {
        BitSet whitespace = set("whitespace");
        BitSet chinese = set("chinese");
        BitSet punctuation = set("punctuation");
        BitSet removed = set("removed");
        StringBuilder diff = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (surrogate(cp) || removed.get(cp)) {
                continue;
            }
            check(diff, "whitespace", cp, BertChars.isWhitespace(cp), whitespace.get(cp));
            check(diff, "chinese", cp, BertChars.isChinese(cp), chinese.get(cp));
            if (!chinese.get(cp) && !whitespace.get(cp)) {
                check(diff, "punctuation", cp, BertChars.isPunctuation(cp), punctuation.get(cp));
            }
        }
        assertEquals("classes differ:" + diff, 0, diff.length());
        assertTrue(BertChars.isWhitespace(0xA0));
        assertTrue(BertChars.isChinese(0x4E2D));
        assertTrue(BertChars.isPunctuation('!'));
    }

    private static void check(StringBuilder diff, String what, int cp, boolean ours, boolean reference) {
        if (ours != reference && diff.length() < 2000) {
            diff.append(String.format(java.util.Locale.ROOT, " %s U+%04X(ours=%s)", what, cp, ours));
        }
    }

    /**
     * Lowercasing and NFD come from the JDK on our side and from Rust's standard library and the
     * {@code unicode-normalization-alignments} crate on the reference side, whose Unicode versions differ for
     * characters added since Unicode 13. Those differences are tolerated only where they cannot change token ids: the
     * reference's and our normalized forms must WordPiece to the same ids (in practice both [UNK], as no vocabulary has
     * these characters).
     */
    public void testLowercaseAndStripAccentsPerCodePoint() throws IOException {
        WordPieceTokenizer minilm = WordPieceTokenizer.fromFile(
                EmbedTestSupport.modelsDir().resolve(EmbedTestSupport.MINILM).resolve(BundledModel.TOKENIZER_FILE));
        assertPerCodePoint("lower_strip", new BertNormalizer(false, false, true, true), true, minilm);
        assertPerCodePoint("lower_only", new BertNormalizer(false, false, false, true), false, minilm);
    }

    private void assertPerCodePoint(
            String name, BertNormalizer normalizer, boolean hangulSampled, WordPieceTokenizer vocab) {
        BitSet removed = set("removed");
        BitSet chinese = set("chinese");
        Map<Integer, String> expected = new java.util.HashMap<>();
        for (Object o : (List<?>) fixture().get(name)) {
            List<?> pair = (List<?>) o;
            expected.put(((Number) pair.get(0)).intValue(), (String) pair.get(1));
        }
        assertTrue(expected.size() > 1000);
        StringBuilder diff = new StringBuilder();
        int tolerated = 0;
        int checked = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (surrogate(cp) || removed.get(cp) || chinese.get(cp)) {
                continue;
            }
            if (hangulSampled && cp >= 0xAC00 && cp <= 0xD7A3 && (cp - 0xAC00) % 37 != 0) {
                continue;
            }
            checked++;
            String c = new String(Character.toChars(cp));
            String want = expected.getOrDefault(cp, c);
            String got = normalizer.normalize(c);
            if (want.equals(got)) {
                continue;
            }
            if (Arrays.equals(vocab.piecesOfNormalized(want), vocab.piecesOfNormalized(got))) {
                tolerated++;
            } else if (diff.length() < 2000) {
                diff.append(
                        String.format(java.util.Locale.ROOT, " U+%04X expected %s got %s;", cp, show(want), show(got)));
            }
        }
        assertEquals(name + " differs in a way that changes ids:" + diff, 0, diff.length());
        assertTrue(name + ": too many tolerated differences " + tolerated, tolerated < 200);
        logger.info(
                "{}: {} code points checked, {} differ only in characters the MiniLM vocabulary lacks",
                name,
                checked,
                tolerated);
    }
}
