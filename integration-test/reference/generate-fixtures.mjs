// Generates the reference fixtures for the Java tokenizer and embedder from independent implementations:
//   - token ids: Hugging Face `tokenizers` (the Rust crate, through the @anush008/tokenizers Node binding), which is
//     what sentence-transformers and transformers use in Python; cross-checked against Tokenizers.js
//     (@huggingface/tokenizers, pure JavaScript) and every disagreement is recorded and printed;
//   - embeddings: the same ONNX file run by ONNX Runtime for Node (onnxruntime-node) on the Rust tokenizer's ids,
//     pooled and normalized here in float64; for a model whose manifest has a query_prefix or document_prefix, also
//     a few query and document texts with that prefix put in front here, before the Rust tokenizer;
//   - character classes of the BertNormalizer / BertPreTokenizer, scanned over all of Unicode with the Rust crate.
//
// Usage (from this folder, after `mvn -o process-classes` has bundled the models into target/models):
//   npm ci --ignore-scripts && node generate-fixtures.mjs [--rewrite] [modelsDir] [fixturesDir]
// Nothing is downloaded at run time: the model files are read from modelsDir.
// ONNX Runtime's int8 kernels depend on the CPU, so vectors made on another machine differ a little. The committed
// fixtures come from AVX2 kernels; on a CPU with AVX-512 run this script under `qemu-x86_64-static -cpu Haswell`
// (README.md). An existing fixture file that the new run reproduces up to NOISE (every number, `generator` left aside)
// is kept byte for byte, so that a rerun only touches what really changed; --rewrite writes every file anew.

import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import os from "node:os";
import { fileURLToPath } from "node:url";
import rust from "@anush008/tokenizers";
import { Tokenizer as JsTokenizer } from "@huggingface/tokenizers";
import ort from "onnxruntime-node";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const REWRITE = args.includes("--rewrite");
const positional = args.filter((a) => a !== "--rewrite");
if (positional.some((a) => a.startsWith("--"))) throw new Error(`unknown option in ${positional}; usage: [--rewrite] [modelsDir] [fixturesDir]`);
const modelsDir = path.resolve(positional[0] ?? path.join(here, "../../target/models"));
const fixturesDir = path.resolve(positional[1] ?? path.join(here, "../../src/test/resources/fixtures"));
const SHORT_LIMIT = 8;
// Largest difference of any number between a fixture file and a new run that still keeps the file (see the header).
const NOISE = 1e-6;

// The CPU matters: ONNX Runtime picks its int8 kernels by instruction set (AVX2, AVX-512, VNNI).
function cpuDescription() {
  try {
    const info = fs.readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.*)$/m.exec(info)?.[1]?.trim() ?? os.cpus()[0]?.model;
    const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? "").split(/\s+/));
    const isa = ["avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8"].filter((f) => flags.has(f));
    return `${model} (${os.arch()}; ${isa.join(", ") || "no AVX2"})`;
  } catch {
    return `${os.cpus()[0]?.model ?? "unknown"} (${os.arch()})`;
  }
}

const GENERATOR = {
  script: "integration-test/reference/generate-fixtures.mjs",
  tokenizer: "tokenizers (Rust) 0.22 via @anush008/tokenizers 0.6.0; cross-check @huggingface/tokenizers 0.2.0",
  runtime: "onnxruntime-node 1.29.0 (the native version of the Java binding), graph optimizations disabled",
  node: process.version,
  // FIXTURE_CPU names the CPU when /proc/cpuinfo does not (under `qemu-x86_64-static -cpu Haswell` it shows the host's)
  cpu: process.env.FIXTURE_CPU || cpuDescription(),
};

const longEnglish =
  "Running shoes are designed to absorb the impact of each stride, and a good pair balances cushioning, stability " +
  "and weight. Trail runners need deeper lugs for grip on mud and rock, while road runners usually prefer lighter " +
  "foam and a smooth outsole. Before buying, measure both feet late in the day, leave a thumb's width of room at " +
  "the toe, and try the shoes with the socks you will actually wear. Replace them every 500 to 800 kilometres, or " +
  "sooner if the midsole feels flat. Waterproof membranes keep feet dry in winter but trap heat in summer; mesh " +
  "uppers breathe better. Zero-drop models change your gait, so switch gradually over several weeks to avoid " +
  "calf and Achilles strain. Finally, rotating two pairs lets the foam recover between runs and extends their life.";
// About 600 word pieces in the English models' vocabulary: cut at a max_tokens of 512.
const longerEnglish = [longEnglish, longEnglish, longEnglish, longEnglish].join(" ");
const longChinese = "我想买一双适合长跑的运动鞋，要求轻便、透气、减震效果好，价格在五百元以内，最好有黑色或者白色可以选择。".repeat(12);

// Tokenizer cases: shared by both tokenizers.
const TEXTS = [
  "Running shoes for men",
  "The quick brown fox jumps over the lazy dog.",
  "",
  "   ",
  "a",
  "!",
  "中",
  "Café crème brûlée à la carte — naïve résumé",
  "ÀÉÎÕÜ àéîõü Ññ Çç ß ø Å æ œ",
  "accents composed \u00e9 vs decomposed e\u0301",
  "Ünïcödé ÜBER straße STRASSE",
  "Vietnamese: Tiếng Việt có dấu",
  "Turkish: ğüşöçİı İstanbul ıi İI \u0130\u0049\u0307",
  "ΣΊΣΥΦΟΣ Ελληνικά τόνοι άέήίόύώ ΐΰ",
  "Русский текст с ЗАГЛАВНЫМИ буквами",
  "עברית וערבית العربية",
  "हिन्दी देवनागरी",
  "ไทย ภาษาไทย",
  "中文搜索引擎优化",
  "我想买一双跑步鞋，价格在500元以下。",
  "北京欢迎你 Beijing welcomes you",
  "mixed中文and English混合text",
  "日本語のテキスト、カタカナとひらがな。",
  "한국어 텍스트입니다",
  "Hangul jamo ᄀᄁ and compatibility ㄱㄴ",
  "CJK ext B 𠀀𠀁 and compat 豈更",
  "CJK range edges 𫠟𫠠𫤠 㐀䶿䷀ 鿿 𪛟𪛠",
  "Emoji test 😀👍🏽 🎉 ❤️ 🇫🇷 🥰 🫨",
  "family: 👨‍👩‍👧‍👦 done",
  "non\u00a0breaking\u00a0space and\u202fnarrow\u2007figure\u3000ideographic",
  "Ｆｕｌｌ－ｗｉｄｔｈ　ｆｏｒｍｓ：ＡＢＣ１２３！",
  "Ⓐⓑⓒ circled and ＠＃＄ fullwidth symbols",
  "https://www.example.com/path/to/page?query=running+shoes&size=42#reviews",
  "email me at john.doe+shop@example.co.uk",
  "Price: $19.99 (was €25,00) – 20% off!!!",
  "C++ & C# vs. Java/Kotlin; Python's \"duck typing\"...",
  "don't won't can't isn't it's",
  "¡Hola! ¿Cómo estás? «Très bien» „gut“ ‚ok‘",
  "unicode quotes “smart” ‘single’ ‹angle› and dashes – — ‐",
  "tabs\tand\nnewlines\r\nmixed\u000bvertical\u000cform\u0085next",
  "zero\u200bwidth\u200djoiner\ufeffbom\u00adsoft\u2060word",
  "control\u0000chars\u0007bell\u001fus\ufffdrepl\u007fdel",
  "private use \ue000\uf8ff and tag \u{e0041} and unassigned a\u0378b",
  "ﬁnancial ﬂower Ⅻ ½ ² ™ ©",
  "Mathematical 𝐀𝐁𝐂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "math ∑∫√∞≠≤≥ arrows ←→↑↓ box ─│┌",
  "Currency ¥£¢₹₽₩ and dingbats ✓✗✔",
  "ŉ ǅ ǈ ǋ ǲ titlecase",
  "supercalifragilisticexpialidocious antidisestablishmentarianism",
  "x".repeat(100) + " " + "y".repeat(101),
  "hyphenated-words and under_scores and dot.separated",
  "Numbers 1234567890 3.14159 1,000,000 2nd 3rd 4th",
  "[CLS] fake special [SEP] tokens [MASK] in text [UNK][PAD] [mask] [SEP",
  "lots     of      spaces",
  "UPPERCASE LOWERCASE MiXeD CaSe",
  "Sneakers, trainers & running-shoes: size 10½ (EU 44⅔)",
  longEnglish,
  longChinese,
];

const EMBED_TEXTS = {
  "all-minilm-l6-v2-q": [
    "shoes",
    "sneakers",
    "cake",
    "Running shoes for men",
    "A man is eating food.",
    "The new movie is awesome",
    "Café crème brûlée à la carte",
    "https://www.example.com/shop?q=waterproof+hiking+boots",
    "Emoji 😀 and 中文 mixed in",
    "[MASK] tokens inside the text",
    "",
    longEnglish,
  ],
  "bge-small-zh-v15-q": [
    "跑步鞋",
    "运动鞋",
    "蛋糕",
    "我想买一双跑步鞋",
    "今天天气很好",
    "北京是中国的首都",
    "机器学习是人工智能的一个分支",
    "Running shoes 跑步鞋",
    "价格：￥199（包邮）",
    "Café",
    "",
    longChinese,
  ],
  "bge-small-en-v15-q": [
    "shoes",
    "sneakers",
    "cake",
    "Running shoes for men",
    "A man is eating food.",
    "The new movie is awesome",
    "Trail running shoes with deep lugs for grip on mud and rock",
    "A moist chocolate cake recipe with dark cocoa",
    "Café crème brûlée à la carte",
    "https://www.example.com/shop?q=waterproof+hiking+boots",
    "Emoji 😀 and 中文 mixed in",
    "[MASK] tokens inside the text",
    "",
    longEnglish,
  ],
};
const PAIRS = {
  "all-minilm-l6-v2-q": [["shoes", "sneakers"], ["shoes", "cake"]],
  "bge-small-zh-v15-q": [["跑步鞋", "运动鞋"], ["跑步鞋", "蛋糕"]],
  "bge-small-en-v15-q": [["shoes", "sneakers"], ["shoes", "cake"]],
};

// Models whose manifest has a query_prefix or document_prefix: texts embedded in each role, the prefix put in front
// of the text here (prefix + text, as sentence-transformers' prompts do), then tokenized by the Rust crate.
// tokens.json also holds their ids, and those of ROLE_TOKEN_TEXTS (which are not embedded: a 512-token input's int8
// vector moves by up to 1e-3 between CPUs, see README.md), at max_tokens and at SHORT_LIMIT.
const ROLE_TEXTS = {
  "bge-small-en-v15-q": {
    query: [
      "shoes",
      "running shoes for men",
      "how do I bake a chocolate cake",
      "Café crème brûlée",
      "",
    ],
    document: [
      "sneakers",
      "cake",
      "Trail running shoes with deep lugs for grip on mud and rock",
      "A moist chocolate cake recipe with dark cocoa",
    ],
  },
};
// the prefix stays and the end of the text is cut at max_tokens
const ROLE_TOKEN_TEXTS = [longerEnglish];
// Query/document cosines with the prefixes applied, against the same pair without them.
const ROLE_PAIRS = {
  "bge-small-en-v15-q": [
    ["shoes", "sneakers"],
    ["shoes", "cake"],
    ["running shoes for men", "Trail running shoes with deep lugs for grip on mud and rock"],
    ["running shoes for men", "A moist chocolate cake recipe with dark cocoa"],
    ["how do I bake a chocolate cake", "A moist chocolate cake recipe with dark cocoa"],
    ["how do I bake a chocolate cake", "Trail running shoes with deep lugs for grip on mud and rock"],
  ],
};

function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

// The largest difference between two JSON values that agree in everything but numbers (Infinity if they do not),
// ignoring the top-level `generator`.
function numericDistance(a, b, top = true) {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b);
  if (Array.isArray(a) !== Array.isArray(b) || typeof a !== typeof b || a === null || b === null || typeof a !== "object") {
    return a === b ? 0 : Infinity;
  }
  const keys = Array.isArray(a) ? null : Object.keys(a).filter((k) => !(top && k === "generator"));
  if (Array.isArray(a) ? a.length !== b.length : JSON.stringify(keys) !== JSON.stringify(Object.keys(b).filter((k) => !(top && k === "generator")))) {
    return Infinity;
  }
  let worst = 0;
  for (const k of keys ?? a.keys()) {
    worst = Math.max(worst, numericDistance(a[k], b[k], false));
    if (worst === Infinity) break;
  }
  return worst;
}

function writeJson(file, value) {
  const shown = path.relative(process.cwd(), file);
  if (!REWRITE && fs.existsSync(file)) {
    const distance = numericDistance(JSON.parse(fs.readFileSync(file, "utf8")), JSON.parse(JSON.stringify(value)));
    if (distance <= NOISE) {
      console.log(`kept ${shown}: this run reproduces it${distance > 0 ? ` up to ${distance.toPrecision(2)} (CPU kernels)` : ""}`);
      return;
    }
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 1) + "\n");
  console.log(`wrote ${shown} (${fs.statSync(file).size} bytes)`);
}

async function rustEncode(tok, text, maxTokens) {
  if (maxTokens) tok.setTruncation(maxTokens);
  else tok.disableTruncation();
  const e = await tok.encode(text);
  return { ids: e.getIds(), tokens: e.getTokens() };
}

// The manifest's prefixes when it has a non-empty one (then ROLE_TEXTS must name the model's texts), else null.
function rolePrefixes(id, manifest) {
  const prefixes = { query: manifest.query_prefix ?? "", document: manifest.document_prefix ?? "" };
  if (prefixes.query === "" && prefixes.document === "") return null;
  if (!ROLE_TEXTS[id] || !ROLE_PAIRS[id]) throw new Error(`${id} has a query or document prefix: add its texts to ROLE_TEXTS and ROLE_PAIRS`);
  return prefixes;
}

async function tokenizerFixture(id, dir, manifest) {
  const file = path.join(dir, "tokenizer.json");
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const rustTok = rust.Tokenizer.fromFile(file);
  rustTok.disablePadding();
  const jsTok = new JsTokenizer(json, {});
  const cases = [];
  const disagreements = [];
  for (const text of TEXTS) {
    const full = await rustEncode(rustTok, text, 0);
    const js = jsTok.encode(text).ids;
    const jsAgrees = JSON.stringify(js) === JSON.stringify(full.ids);
    if (!jsAgrees) disagreements.push({ text, rust: full.tokens, js: jsTok.encode(text).tokens });
    for (const limit of [manifest.max_tokens, SHORT_LIMIT]) {
      const cut = await rustEncode(rustTok, text, limit);
      cases.push({
        text,
        max_tokens: limit,
        ids: cut.ids,
        tokens: cut.tokens,
        truncated: full.ids.length > limit,
        untruncated_length: full.ids.length,
        js_agrees: jsAgrees,
      });
    }
  }
  for (const d of disagreements) {
    console.log(`  [${id}] Tokenizers.js differs from the Rust crate on ${JSON.stringify(d.text).slice(0, 60)}:`);
    console.log(`      rust ${JSON.stringify(d.rust).slice(0, 200)}`);
    console.log(`      js   ${JSON.stringify(d.js).slice(0, 200)}`);
  }
  const fixture = {
    model: id,
    tokenizer_sha256: sha256(file),
    generator: GENERATOR,
    note: "ids/tokens from the Rust tokenizers crate with truncation at max_tokens and no padding; js_agrees tells whether Tokenizers.js gave the same untruncated ids",
    cases,
  };
  const prefixes = rolePrefixes(id, manifest);
  if (prefixes) {
    const roleCases = [];
    for (const role of ["query", "document"]) {
      for (const text of [...ROLE_TEXTS[id][role], ...ROLE_TOKEN_TEXTS]) {
        const prefixedText = prefixes[role] + text;
        const full = await rustEncode(rustTok, prefixedText, 0);
        for (const limit of [manifest.max_tokens, SHORT_LIMIT]) {
          const cut = await rustEncode(rustTok, prefixedText, limit);
          roleCases.push({
            role,
            text,
            prefixed_text: prefixedText,
            max_tokens: limit,
            ids: cut.ids,
            tokens: cut.tokens,
            truncated: full.ids.length > limit,
            untruncated_length: full.ids.length,
          });
        }
      }
    }
    fixture.query_prefix = prefixes.query;
    fixture.document_prefix = prefixes.document;
    fixture.role_note = "role_cases: prefixed_text is the manifest's prefix for the role followed by text, put together here and then tokenized as above";
    fixture.role_cases = roleCases;
  }
  writeJson(path.join(fixturesDir, id, "tokens.json"), fixture);
  return rustTok;
}

async function embeddingFixture(id, dir, manifest, rustTok) {
  const session = await ort.InferenceSession.create(path.join(dir, "model.onnx"), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "disabled",
  });
  const feedTypes = session.inputNames.includes("token_type_ids");
  const dims = manifest.dims;
  async function embed(text) {
    const { ids } = await rustEncode(rustTok, text, manifest.max_tokens);
    const n = ids.length;
    const feeds = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)), [1, n]),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(n).fill(1n), [1, n]),
    };
    if (feedTypes) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(n), [1, n]);
    const out = await session.run(feeds);
    const hidden = out.last_hidden_state;
    if (hidden.dims.length !== 3 || hidden.dims[1] !== n || hidden.dims[2] !== dims) {
      throw new Error(`${id}: unexpected output shape ${hidden.dims}`);
    }
    const data = hidden.data;
    const v = new Float64Array(dims);
    if (manifest.pooling === "cls") {
      for (let h = 0; h < dims; h++) v[h] = data[h];
    } else if (manifest.pooling === "mean") {
      for (let t = 0; t < n; t++) for (let h = 0; h < dims; h++) v[h] += data[t * dims + h];
      for (let h = 0; h < dims; h++) v[h] /= n;
    } else {
      throw new Error(`${id}: unknown pooling ${manifest.pooling}`);
    }
    if (manifest.normalize) {
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      for (let h = 0; h < dims; h++) v[h] /= norm;
    }
    return { ids, vector: Array.from(v, (x) => Number(x.toPrecision(8))) };
  }
  if (!EMBED_TEXTS[id] || !PAIRS[id]) throw new Error(`${id}: add its sentences to EMBED_TEXTS and PAIRS`);
  const cases = [];
  const byText = new Map();
  for (const text of EMBED_TEXTS[id]) {
    const e = await embed(text);
    byText.set(text, e.vector);
    cases.push({ text, ids: e.ids, vector: e.vector });
  }
  const cosine = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0) / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
  const pairs = PAIRS[id].map(([a, b]) => ({ a, b, cosine: Number(cosine(byText.get(a), byText.get(b)).toPrecision(8)) }));
  for (const p of pairs) console.log(`  [${id}] cos(${p.a}, ${p.b}) = ${p.cosine}`);
  const fixture = {
    model: id,
    onnx_sha256: sha256(path.join(dir, "model.onnx")),
    pooling: manifest.pooling,
    normalize: manifest.normalize,
    dims,
    max_tokens: manifest.max_tokens,
    generator: GENERATOR,
    note: "one input per run (no padding), token_type_ids all 0 when the model has that input; pooling and L2 in float64",
    cases,
    pairs,
  };
  const prefixes = rolePrefixes(id, manifest);
  if (prefixes) {
    const roleCases = [];
    const byRole = { query: new Map(), document: new Map() };
    for (const role of ["query", "document"]) {
      for (const text of ROLE_TEXTS[id][role]) {
        const prefixedText = prefixes[role] + text;
        const e = await embed(prefixedText);
        byRole[role].set(text, e.vector);
        roleCases.push({ role, text, prefixed_text: prefixedText, ids: e.ids, vector: e.vector });
      }
    }
    const rolePairs = [];
    for (const [query, document] of ROLE_PAIRS[id]) {
      const q = byRole.query.get(query);
      const d = byRole.document.get(document);
      if (!q || !d) throw new Error(`${id}: role pair (${query}, ${document}) needs the query and the document in ROLE_TEXTS`);
      const plainQ = byText.get(query) ?? (await embed(query)).vector;
      const plainD = byText.get(document) ?? (await embed(document)).vector;
      rolePairs.push({
        query,
        document,
        cosine: Number(cosine(q, d).toPrecision(8)),
        cosine_without_prefixes: Number(cosine(plainQ, plainD).toPrecision(8)),
      });
    }
    for (const p of rolePairs) console.log(`  [${id}] cos(query ${p.query}, document ${p.document}) = ${p.cosine} (without prefixes ${p.cosine_without_prefixes})`);
    fixture.query_prefix = prefixes.query;
    fixture.document_prefix = prefixes.document;
    fixture.role_note =
      "role_cases: prefixed_text is the manifest's prefix for the role followed by text, put together here and then tokenized and embedded as above; " +
      "role_pairs: cosine of the query's and the document's role vectors, and of the two texts without prefixes";
    fixture.role_cases = roleCases;
    fixture.role_pairs = rolePairs;
  }
  writeJson(path.join(fixturesDir, id, "embeddings.json"), fixture);
}

function ranges(cps) {
  const out = [];
  for (const cp of cps) {
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

function charClassFixture() {
  const plain = rust.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false });
  const lowerStrip = rust.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: true });
  const lowerOnly = rust.bertNormalizer({ cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true });
  const pre = rust.bertPreTokenizer();
  const cls = { removed: [], whitespace: [], chinese: [], punctuation: [] };
  const lowerStripMap = [];
  const lowerOnlyMap = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    const n = plain.normalizeString("a" + c + "b");
    if (n === "ab") cls.removed.push(cp);
    else if (n === "a b") cls.whitespace.push(cp);
    else if (n === "a " + c + " b") cls.chinese.push(cp);
    else if (n !== "a" + c + "b") throw new Error(`unexpected normalization of U+${cp.toString(16)}: ${JSON.stringify(n)}`);
    if (n !== "a" + c + "b" && n !== "a b") continue;
    if (cp !== 0x20 && pre.preTokenizeString("a" + c + "b").length === 3) cls.punctuation.push(cp);
    // Hangul syllables decompose algorithmically: keep every 37th as a sample.
    const hangul = cp >= 0xac00 && cp <= 0xd7a3;
    const ls = lowerStrip.normalizeString(c);
    if (ls !== c && (!hangul || (cp - 0xac00) % 37 === 0)) lowerStripMap.push([cp, ls]);
    const lo = lowerOnly.normalizeString(c);
    if (lo !== c) lowerOnlyMap.push([cp, lo]);
  }
  writeJson(path.join(fixturesDir, "bert-char-classes.json"), {
    generator: GENERATOR,
    note:
      "Code point classes of the Rust BertNormalizer/BertPreTokenizer over U+0000..U+10FFFF (surrogates skipped), as inclusive ranges. " +
      "removed: dropped by clean_text; whitespace: mapped to a space by clean_text; chinese: padded with spaces by handle_chinese_chars; " +
      "punctuation: isolated by BertPreTokenizer. lower_strip / lower_only: [code point, normalized string] for every code point (outside " +
      "removed/chinese) that strip_accents+lowercase, or lowercase alone, change; Hangul syllables are sampled every 37th (lower_strip only).",
    removed: ranges(cls.removed),
    whitespace: ranges(cls.whitespace),
    chinese: ranges(cls.chinese),
    punctuation: ranges(cls.punctuation),
    lower_strip: lowerStripMap,
    lower_only: lowerOnlyMap,
  });
}

async function main() {
  const ids = fs.readdirSync(modelsDir).filter((d) => fs.existsSync(path.join(modelsDir, d, "model.json"))).sort();
  if (ids.length === 0) throw new Error(`no bundled models under ${modelsDir}; run 'mvn -o process-classes' first`);
  for (const id of ids) {
    const dir = path.join(modelsDir, id);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    for (const [file, expected] of [["model.onnx", manifest.onnx.sha256], ["tokenizer.json", manifest.tokenizer.sha256]]) {
      const actual = sha256(path.join(dir, file));
      if (actual !== expected) throw new Error(`${id}/${file}: sha256 ${actual}, manifest says ${expected}`);
    }
    console.log(`model ${id}`);
    const rustTok = await tokenizerFixture(id, dir, manifest);
    await embeddingFixture(id, dir, manifest, rustTok);
  }
  charClassFixture();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
