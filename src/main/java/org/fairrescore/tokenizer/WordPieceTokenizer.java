package org.fairrescore.tokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT WordPiece tokenizer driven by a Hugging Face {@code tokenizer.json} ({@code BertNormalizer},
 * {@code BertPreTokenizer}, {@code WordPiece} model, {@code TemplateProcessing} or {@code BertProcessing}
 * {@code [CLS] A [SEP]}), matching the {@code tokenizers} crate token for token:
 *
 * <ol>
 *   <li>special (added) tokens such as {@code [MASK]} written in the text are kept whole, as the crate does;</li>
 *   <li>the rest is normalized ({@link BertNormalizer}), split on whitespace and around each punctuation character;</li>
 *   <li>each word is split greedily into the longest vocabulary pieces, continuation pieces carrying the
 *       {@code ##} prefix; a word that cannot be split, or is longer than {@code max_input_chars_per_word}, is
 *       {@code [UNK]};</li>
 *   <li>{@code [CLS]} and {@code [SEP]} wrap the pieces, which are cut so that the total stays within the limit.</li>
 * </ol>
 *
 * The file's own padding and truncation settings are ignored: callers pass the limit, and batches are padded by the
 * embedder. Instances are immutable and safe for concurrent use.
 */
public final class WordPieceTokenizer {

    private final BertNormalizer normalizer;
    private final VocabTable vocab;
    private final String[] idToToken;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final int maxInputCharsPerWord;
    private final String prefix;
    /** Added tokens matched in the raw text, longest first; empty when none. */
    private final char[][] addedTokens;

    private final int[] addedIds;
    private final boolean[] addedFirstChar = new boolean[128];
    private final int addedMinFirstCharNonAscii;

    private WordPieceTokenizer(
            BertNormalizer normalizer,
            Map<String, Integer> vocabMap,
            String unkToken,
            String prefix,
            int maxInputCharsPerWord,
            int clsId,
            int sepId,
            int padId,
            List<Map.Entry<String, Integer>> added,
            String source) {
        this.normalizer = normalizer;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        this.vocab = new VocabTable(vocabMap, prefix);
        int maxId = vocabMap.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (Map.Entry<String, Integer> a : added) {
            maxId = Math.max(maxId, a.getValue());
        }
        this.idToToken = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocabMap.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
        }
        for (Map.Entry<String, Integer> a : added) {
            idToToken[a.getValue()] = a.getKey();
        }
        Integer unk = vocabMap.get(unkToken);
        if (unk == null) {
            throw new IllegalArgumentException(source + ": unk token [" + unkToken + "] is not in the vocabulary");
        }
        this.unkId = unk;
        this.clsId = clsId;
        this.sepId = sepId;
        this.padId = padId;
        for (int id : new int[] {clsId, sepId, padId}) {
            if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
                throw new IllegalArgumentException(source + ": special token id " + id + " is not in the vocabulary");
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(added);
        sorted.sort(Comparator.comparingInt(
                        (Map.Entry<String, Integer> e) -> e.getKey().length())
                .reversed());
        this.addedTokens = new char[sorted.size()][];
        this.addedIds = new int[sorted.size()];
        int minNonAscii = Integer.MAX_VALUE;
        for (int i = 0; i < sorted.size(); i++) {
            addedTokens[i] = sorted.get(i).getKey().toCharArray();
            addedIds[i] = sorted.get(i).getValue();
            char first = addedTokens[i][0];
            if (first < 128) {
                addedFirstChar[first] = true;
            } else {
                minNonAscii = Math.min(minNonAscii, first);
            }
        }
        this.addedMinFirstCharNonAscii = minNonAscii;
    }

    /** Loads a {@code tokenizer.json} file. */
    public static WordPieceTokenizer fromFile(Path file) throws IOException {
        return fromJson(Files.readAllBytes(file), file.toString());
    }

    /** Parses {@code tokenizer.json} content; {@code source} names it in error messages. */
    public static WordPieceTokenizer fromJson(byte[] json, String source) throws IOException {
        try (InputStream in = new ByteArrayInputStream(json)) {
            return fromTree(Json.read(in, source), source);
        }
    }

    @SuppressWarnings("unchecked")
    private static WordPieceTokenizer fromTree(Object root, String source) {
        Map<String, Object> top = map(root, source, "(root)");
        Map<String, Object> model = map(top.get("model"), source, "model");
        require(
                "WordPiece".equals(model.get("type")),
                source,
                "model.type must be WordPiece, got " + model.get("type"));
        Map<String, Object> vocabTree = map(model.get("vocab"), source, "model.vocab");
        Map<String, Integer> vocab = new java.util.HashMap<>(vocabTree.size() * 2);
        for (Map.Entry<String, Object> e : vocabTree.entrySet()) {
            require(
                    e.getValue() instanceof Long l && l >= 0 && l < Integer.MAX_VALUE,
                    source,
                    "model.vocab[" + e.getKey() + "] must be a token id");
            vocab.put(e.getKey(), ((Long) e.getValue()).intValue());
        }
        require(!vocab.isEmpty(), source, "model.vocab is empty");
        String unk = string(model.getOrDefault("unk_token", "[UNK]"), source, "model.unk_token");
        String prefix = string(
                model.getOrDefault("continuing_subword_prefix", "##"), source, "model.continuing_subword_prefix");
        int maxChars =
                integer(model.getOrDefault("max_input_chars_per_word", 100L), source, "model.max_input_chars_per_word");

        BertNormalizer normalizer;
        Object normTree = top.get("normalizer");
        if (normTree == null) {
            normalizer = new BertNormalizer(false, false, false, false);
        } else {
            Map<String, Object> norm = map(normTree, source, "normalizer");
            require(
                    "BertNormalizer".equals(norm.get("type")),
                    source,
                    "normalizer.type must be BertNormalizer, got " + norm.get("type"));
            boolean lowercase = bool(norm.getOrDefault("lowercase", Boolean.TRUE), source, "normalizer.lowercase");
            Object strip = norm.get("strip_accents");
            normalizer = new BertNormalizer(
                    bool(norm.getOrDefault("clean_text", Boolean.TRUE), source, "normalizer.clean_text"),
                    bool(
                            norm.getOrDefault("handle_chinese_chars", Boolean.TRUE),
                            source,
                            "normalizer.handle_chinese_chars"),
                    strip == null ? lowercase : bool(strip, source, "normalizer.strip_accents"),
                    lowercase);
        }

        Map<String, Object> pre = map(top.get("pre_tokenizer"), source, "pre_tokenizer");
        require(
                "BertPreTokenizer".equals(pre.get("type")),
                source,
                "pre_tokenizer.type must be BertPreTokenizer, got " + pre.get("type"));

        int[] clsSep = specialIds(map(top.get("post_processor"), source, "post_processor"), vocab, source);

        List<Map.Entry<String, Integer>> added = new ArrayList<>();
        Object addedTree = top.get("added_tokens");
        if (addedTree != null) {
            require(addedTree instanceof List, source, "added_tokens must be an array");
            for (Object o : (List<Object>) addedTree) {
                Map<String, Object> t = map(o, source, "added_tokens[]");
                String content = string(t.get("content"), source, "added_tokens[].content");
                require(!content.isEmpty(), source, "added_tokens[].content is empty");
                int id = integer(t.get("id"), source, "added_tokens[" + content + "].id");
                for (String flag : new String[] {"single_word", "lstrip", "rstrip", "normalized"}) {
                    require(
                            !Boolean.TRUE.equals(t.get(flag)),
                            source,
                            "added token [" + content + "] sets " + flag
                                    + "=true, which this tokenizer does not support");
                }
                added.add(Map.entry(content, id));
            }
        }

        int pad = vocab.getOrDefault("[PAD]", 0);
        Object padding = top.get("padding");
        if (padding instanceof Map<?, ?> p && p.get("pad_id") instanceof Long l) {
            pad = l.intValue();
        }
        return new WordPieceTokenizer(
                normalizer, vocab, unk, prefix, maxChars, clsSep[0], clsSep[1], pad, added, source);
    }

    @SuppressWarnings("unchecked")
    private static int[] specialIds(Map<String, Object> post, Map<String, Integer> vocab, String source) {
        Object type = post.get("type");
        if ("BertProcessing".equals(type)) {
            List<Object> cls = (List<Object>) post.get("cls");
            List<Object> sep = (List<Object>) post.get("sep");
            return new int[] {
                integer(cls.get(1), source, "post_processor.cls"), integer(sep.get(1), source, "post_processor.sep")
            };
        }
        require(
                "TemplateProcessing".equals(type),
                source,
                "post_processor.type must be TemplateProcessing or BertProcessing, got " + type);
        Object singleTree = post.get("single");
        require(
                singleTree instanceof List<?> l && l.size() == 3,
                source,
                "post_processor.single must be [CLS] A [SEP]");
        List<Object> single = (List<Object>) singleTree;
        Map<String, Object> special = map(post.get("special_tokens"), source, "post_processor.special_tokens");
        int[] ids = new int[2];
        for (int k = 0; k < 3; k++) {
            Map<String, Object> piece = map(single.get(k), source, "post_processor.single[" + k + "]");
            if (k == 1) {
                require(piece.containsKey("Sequence"), source, "post_processor.single[1] must be the sequence");
                continue;
            }
            Map<String, Object> st =
                    map(piece.get("SpecialToken"), source, "post_processor.single[" + k + "].SpecialToken");
            String name = string(st.get("id"), source, "post_processor.single[" + k + "].SpecialToken.id");
            Map<String, Object> def = map(special.get(name), source, "post_processor.special_tokens[" + name + "]");
            List<Object> tokenIds = (List<Object>) def.get("ids");
            require(
                    tokenIds != null && tokenIds.size() == 1,
                    source,
                    "special token " + name + " must have exactly one id");
            ids[k / 2] = integer(tokenIds.get(0), source, "post_processor.special_tokens[" + name + "].ids");
        }
        return ids;
    }

    private static void require(boolean ok, String source, String message) {
        if (!ok) {
            throw new IllegalArgumentException(source + ": " + message);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String source, String field) {
        require(o instanceof Map, source, field + " must be an object");
        return (Map<String, Object>) o;
    }

    private static String string(Object o, String source, String field) {
        require(o instanceof String, source, field + " must be a string");
        return (String) o;
    }

    private static int integer(Object o, String source, String field) {
        require(
                o instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE,
                source,
                field + " must be a non-negative integer");
        return ((Long) o).intValue();
    }

    private static boolean bool(Object o, String source, String field) {
        require(o instanceof Boolean, source, field + " must be true or false");
        return (Boolean) o;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    /** Number of distinct token ids (vocabulary plus added tokens). */
    public int vocabSize() {
        return idToToken.length;
    }

    /** The token string of an id, or null if the id is unused. */
    public String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** Whether the normalizer lowercases (and so, for these files, strips accents). */
    public boolean lowercases() {
        return normalizer.lowercase();
    }

    BertNormalizer normalizer() {
        return normalizer;
    }

    /**
     * Tokenizes {@code text} into at most {@code maxTokens} tokens, {@code [CLS]} and {@code [SEP]} included. When the
     * text has more pieces, the first {@code maxTokens - 2} are kept and the result is marked truncated.
     *
     * @throws IllegalArgumentException if {@code maxTokens < 2}
     */
    public Encoding encode(String text, int maxTokens) {
        Objects.requireNonNull(text, "text");
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 ([CLS] and [SEP]), got " + maxTokens);
        }
        int budget = maxTokens - 2;
        IntList out = new IntList(Math.min(maxTokens, text.length() + 2));
        out.add(clsId);
        boolean truncated = false;
        int n = text.length();
        int segStart = 0;
        while (true) {
            int matchAt = n;
            int matchIndex = -1;
            if (addedTokens.length > 0) {
                for (int i = segStart; i < n; i++) {
                    char c = text.charAt(i);
                    if (c < 128 ? !addedFirstChar[c] : c < addedMinFirstCharNonAscii) {
                        continue;
                    }
                    int k = matchAdded(text, i);
                    if (k >= 0) {
                        matchAt = i;
                        matchIndex = k;
                        break;
                    }
                }
            }
            if (matchAt > segStart && !tokenizeSegment(text, segStart, matchAt, out, budget)) {
                truncated = true;
                break;
            }
            if (matchIndex < 0) {
                break;
            }
            if (out.size - 1 >= budget) {
                truncated = true;
                break;
            }
            out.add(addedIds[matchIndex]);
            segStart = matchAt + addedTokens[matchIndex].length;
        }
        out.add(sepId);
        int[] ids = out.toArray();
        String[] tokens = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = idToToken[ids[i]];
        }
        return new Encoding(ids, tokens, truncated);
    }

    /** Index of the longest added token starting at {@code at}, or -1. */
    private int matchAdded(String text, int at) {
        outer:
        for (int k = 0; k < addedTokens.length; k++) {
            char[] t = addedTokens[k];
            if (at + t.length > text.length()) {
                continue;
            }
            for (int j = 0; j < t.length; j++) {
                if (text.charAt(at + j) != t[j]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    /** Tokenizes {@code text[from, to)} into {@code out}; returns false (with {@code out} cut to the budget) when it overflowed. */
    private boolean tokenizeSegment(String text, int from, int to, IntList out, int budget) {
        BertNormalizer.Buffer norm = normalizer.normalize(text, from, to);
        return splitAndPiece(norm.chars, norm.length, out, budget);
    }

    /** Ids of already normalized text, split and WordPiece'd without special tokens (for tests). */
    int[] piecesOfNormalized(String normalized) {
        IntList out = new IntList(normalized.length() + 1);
        splitAndPiece(normalized.toCharArray(), normalized.length(), out, Integer.MAX_VALUE - 1);
        return out.toArray();
    }

    /** Pre-tokenizes {@code buf[0, len)} and appends its pieces; false (with {@code out} cut to the budget) on overflow. */
    private boolean splitAndPiece(char[] buf, int len, IntList out, int budget) {
        int wordStart = -1;
        int i = 0;
        while (i < len) {
            char c = buf[i];
            int cp;
            int width;
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(buf[i + 1])) {
                cp = Character.toCodePoint(c, buf[i + 1]);
                width = 2;
            } else {
                cp = c;
                width = 1;
            }
            if (BertChars.isSplitSpace(cp)) {
                if (wordStart >= 0) {
                    wordPiece(buf, wordStart, i, out);
                    wordStart = -1;
                    if (out.size - 1 > budget) {
                        out.size = budget + 1;
                        return false;
                    }
                }
            } else if (BertChars.isPunctuation(cp)) {
                if (wordStart >= 0) {
                    wordPiece(buf, wordStart, i, out);
                    wordStart = -1;
                }
                wordPiece(buf, i, i + width, out);
                if (out.size - 1 > budget) {
                    out.size = budget + 1;
                    return false;
                }
            } else if (wordStart < 0) {
                wordStart = i;
            }
            i += width;
        }
        if (wordStart >= 0) {
            wordPiece(buf, wordStart, len, out);
        }
        if (out.size - 1 > budget) {
            out.size = budget + 1;
            return false;
        }
        return true;
    }

    /** Greedy longest-match WordPiece of {@code buf[start, end)}; a word that cannot be split becomes one [UNK]. */
    private void wordPiece(char[] buf, int start, int end, IntList out) {
        int chars = end - start;
        if (chars > maxInputCharsPerWord && Character.codePointCount(buf, start, chars) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        int mark = out.size;
        int pos = start;
        while (pos < end) {
            boolean continuation = pos > start;
            int limit = Math.min(end, pos + (continuation ? vocab.maxContinuationLength : vocab.maxStartLength));
            int id = -1;
            int stop = limit;
            while (stop > pos) {
                if (stop < end && Character.isLowSurrogate(buf[stop]) && Character.isHighSurrogate(buf[stop - 1])) {
                    stop--;
                    continue;
                }
                id = vocab.find(continuation, buf, pos, stop);
                if (id >= 0) {
                    break;
                }
                stop--;
            }
            if (id < 0) {
                out.size = mark;
                out.add(unkId);
                return;
            }
            out.add(id);
            pos = stop;
        }
    }

    /** A growable int array. */
    private static final class IntList {
        int[] a;
        int size;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /**
     * Vocabulary lookup by char range without allocating: open addressing over the tokens' chars, with continuation
     * lookups hashing the {@code ##} prefix followed by the range.
     */
    private static final class VocabTable {
        private final char[] pool;
        private final int[] offsets;
        private final int[] lengths;
        private final int[] ids;
        private final int[] slots;
        private final int mask;
        private final char[] prefix;
        final int maxStartLength;
        final int maxContinuationLength;

        VocabTable(Map<String, Integer> vocab, String prefix) {
            this.prefix = prefix.toCharArray();
            int n = vocab.size();
            int total = 0;
            for (String k : vocab.keySet()) {
                total += k.length();
            }
            pool = new char[total];
            offsets = new int[n];
            lengths = new int[n];
            ids = new int[n];
            int cap = Integer.highestOneBit(Math.max(4, n) * 4);
            slots = new int[cap];
            mask = cap - 1;
            int pos = 0;
            int entry = 0;
            int maxStart = 1;
            int maxCont = 1;
            for (Map.Entry<String, Integer> e : vocab.entrySet()) {
                String k = e.getKey();
                k.getChars(0, k.length(), pool, pos);
                offsets[entry] = pos;
                lengths[entry] = k.length();
                ids[entry] = e.getValue();
                pos += k.length();
                maxStart = Math.max(maxStart, k.length());
                if (k.startsWith(prefix)) {
                    maxCont = Math.max(maxCont, k.length() - prefix.length());
                }
                int h = mix(hashChars(0, k.toCharArray(), 0, k.length())) & mask;
                while (slots[h] != 0) {
                    h = (h + 1) & mask;
                }
                slots[h] = entry + 1;
                entry++;
            }
            maxStartLength = maxStart;
            maxContinuationLength = maxCont;
        }

        private static int hashChars(int h, char[] s, int from, int to) {
            for (int i = from; i < to; i++) {
                h = 31 * h + s[i];
            }
            return h;
        }

        private static int mix(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            h ^= h >>> 16;
            return h;
        }

        /** Id of {@code (continuation ? prefix : "") + buf[from, to)}, or -1. */
        int find(boolean continuation, char[] buf, int from, int to) {
            int p = continuation ? prefix.length : 0;
            int h = continuation ? hashChars(0, prefix, 0, p) : 0;
            h = mix(hashChars(h, buf, from, to)) & mask;
            int keyLength = p + (to - from);
            int slot;
            while ((slot = slots[h]) != 0) {
                int e = slot - 1;
                if (lengths[e] == keyLength && matches(e, p, buf, from, to)) {
                    return ids[e];
                }
                h = (h + 1) & mask;
            }
            return -1;
        }

        private boolean matches(int e, int p, char[] buf, int from, int to) {
            int o = offsets[e];
            for (int i = 0; i < p; i++) {
                if (pool[o + i] != prefix[i]) {
                    return false;
                }
            }
            o += p;
            for (int i = from; i < to; i++) {
                if (pool[o + i - from] != buf[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
