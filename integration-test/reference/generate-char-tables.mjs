// Writes src/main/java/org/fairrescore/tokenizer/BertCharTables.java from fixtures/bert-char-classes.json (which
// generate-fixtures.mjs scans out of the Rust tokenizers crate).
//
// Why: the crate classifies characters with the `unicode_categories` crate, whose tables are from an old Unicode
// version (8.0), while the JDK follows a recent one. Code points assigned or re-categorised since then (new
// punctuation, new combining marks, new format characters) would tokenize differently if we asked
// Character.getType. With these tables the Java tokenizer classifies exactly as the crate does, whatever the JDK.
//
// Usage (from this folder): node generate-char-tables.mjs [fixturesDir] [javaFile]

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.resolve(process.argv[2] ?? path.join(here, "../../src/test/resources/fixtures"));
const javaFile = path.resolve(process.argv[3] ?? path.join(here, "../../src/main/java/org/fairrescore/tokenizer/BertCharTables.java"));
const fx = JSON.parse(fs.readFileSync(path.join(fixturesDir, "bert-char-classes.json"), "utf8"));

function nonAscii(ranges) {
  return ranges.filter(([, hi]) => hi >= 0x80).map(([lo, hi]) => [Math.max(lo, 0x80), hi]);
}

function toRanges(cps) {
  const out = [];
  for (const cp of [...cps].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

// A code point is a non-spacing mark for the crate when it is its own NFD and strip_accents+lowercase deletes it.
const marks = fx.lower_strip.filter(([cp, s]) => s === "" && String.fromCodePoint(cp).normalize("NFD") === String.fromCodePoint(cp)).map(([cp]) => cp);

const tables = {
  REMOVED: { doc: "Removed by clean_text besides NUL: the crate's Cc, Cf, Co (and U+FFFD), from U+0080 up.", ranges: nonAscii(fx.removed) },
  PUNCTUATION: { doc: "Isolated by BertPreTokenizer: the crate's Pc, Pd, Ps, Pe, Pi, Pf, Po, from U+0080 up.", ranges: nonAscii(fx.punctuation) },
  NONSPACING_MARKS: { doc: "Dropped after NFD by strip_accents: the crate's Mn.", ranges: toRanges(marks) },
};

const hex = (n) => "0x" + n.toString(16).toUpperCase().padStart(4, "0");
let body = "";
for (const [name, { doc, ranges }] of Object.entries(tables)) {
  body += `\n    /** ${doc} ${ranges.length} inclusive ranges as [first, last] pairs. */\n    static final int[] ${name} = {\n`;
  for (let i = 0; i < ranges.length; i += 6) {
    body += "        " + ranges.slice(i, i + 6).map(([a, b]) => `${hex(a)}, ${hex(b)}`).join(", ") + ",\n";
  }
  body += "    };\n";
}

const java = `package org.fairrescore.tokenizer;

/**
 * Character classes of the Hugging Face {@code tokenizers} crate (generated; do not edit). The crate takes general
 * categories from the {@code unicode_categories} crate, whose tables predate the JDK's Unicode version; these ranges,
 * scanned out of the crate over all code points by {@code integration-test/reference/generate-fixtures.mjs} and written
 * by {@code generate-char-tables.mjs}, make the Java tokenizer classify as the crate does on any JDK.
 */
final class BertCharTables {

    private BertCharTables() {}

    /** Whether {@code cp} lies in one of the sorted, disjoint {@code [first, last]} pairs of {@code table}. */
    static boolean contains(int[] table, int cp) {
        int lo = 0;
        int hi = table.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < table[2 * mid]) {
                hi = mid - 1;
            } else if (cp > table[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }
${body}}
`;
fs.writeFileSync(javaFile, java);
console.log(`wrote ${path.relative(process.cwd(), javaFile)}: ` + Object.entries(tables).map(([k, v]) => `${k} ${v.ranges.length} ranges`).join(", "));
