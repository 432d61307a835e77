#!/usr/bin/env node
// structure.mjs FILE.pdf [--check] [--expect ORDER.txt] [--expect-in-order PIECES.txt]
//
// Prints, as JSON, what pdf.js (Firefox's PDF reader) hands a screen reader:
// markInfo (getMarkInfo()), lang, title (Info and XMP dc:title),
// displayDocTitle, and per page the structure tree (getStructTree(): roles,
// nesting, alt, and the marked-content ids it references), the text runs of
// getTextContent({includeMarkedContent: true}) with the marked-content
// sequences around each, the page's reading order (the tree walked depth
// first, each element with the text of the MCIDs it references) and a
// summary (text runs in the tree, artifacts, runs outside both).
//
//   --check              exit 1 unless MarkInfo/Marked is true, the tree is
//                        not empty and every text run is in the tree or an
//                        Artifact (the reasons go to stderr)
//   --expect FILE        exit 1 unless the reading order, one element's text
//                        a line (whitespace removed, empty elements left
//                        out), is exactly FILE's non-empty lines
//   --expect-in-order F  exit 1 unless every non-empty line of F occurs in
//                        the reading-order text, in that order
// Exit status: 0 fine, 1 a check failed, 2 the file could not be read.
import { readFileSync } from "node:fs";
import { readPdfOrExit, pdfjsVersion } from "./pdfread.mjs";

const args = process.argv.slice(2);
if (args[0] === "--version") {
    process.stdout.write(`pdfjs-dist ${pdfjsVersion}\n`);
    process.exit(0);
}
let file = null, check = false, expect = null, inOrder = null, quiet = false;
for (let i = 0; i < args.length; i++) {
    if (args[i] === "--check") check = true;
    else if (args[i] === "--quiet") quiet = true;
    else if (args[i] === "--expect") expect = args[++i];
    else if (args[i] === "--expect-in-order") inOrder = args[++i];
    else if (!file) file = args[i];
    else { process.stderr.write(`structure.mjs: unexpected argument ${args[i]}\n`); process.exit(2); }
}
if (!file) {
    process.stderr.write("usage: structure.mjs FILE.pdf [--check] [--quiet] [--expect ORDER.txt] [--expect-in-order PIECES.txt]\n");
    process.exit(2);
}

const r = await readPdfOrExit(file);
if (!quiet) process.stdout.write(JSON.stringify(r, null, 1) + "\n");

// White space and the arrows of the form are not content (as in tests/e2e/seed-pieces.awk).
const squash = (s) => s.replace(/[\s\u3000→↓↑|]+/g, "");
const lines = (f) => readFileSync(f, "utf8").split("\n").map(squash).filter((l) => l !== "");
let status = 0;
const problem = (msg) => { process.stderr.write(`${file}: ${msg}\n`); status = 1; };

if (check) {
    if (!r.summary.marked) problem(`MarkInfo/Marked is ${JSON.stringify(r.markInfo?.Marked ?? null)}, not true`);
    if (r.summary.treeElements === 0) problem("the structure tree is empty (getStructTree() gives no element)");
    for (const p of r.pages) {
        if (p.summary.outside)
            problem(`page ${p.page}: ${p.summary.outside} of ${p.summary.textRuns} text runs are outside the structure tree and not Artifacts, e.g. ${JSON.stringify(p.summary.outsideText.slice(0, 5))}`);
        if (p.summary.treeMcidsWithoutContent.length)
            problem(`page ${p.page}: the tree references marked content that is not on the page: ${p.summary.treeMcidsWithoutContent.slice(0, 5).join(" ")}`);
    }
}
const order = r.pages.flatMap((p) => p.readingOrder.map((e) => squash(e.text))).filter((t) => t !== "");
if (expect) {
    const want = lines(expect);
    const n = Math.max(want.length, order.length);
    for (let i = 0; i < n; i++) {
        if (want[i] !== order[i]) {
            problem(`reading order differs at element ${i + 1}: expected ${JSON.stringify(want[i] ?? "(end)")}, got ${JSON.stringify(order[i] ?? "(end)")}`);
            break;
        }
    }
}
if (inOrder) {
    const text = order.join("");
    let at = 0;
    for (const piece of lines(inOrder)) {
        const i = text.indexOf(piece, at);
        if (i < 0) {
            problem(text.indexOf(piece) < 0
                ? `not in the reading order: ${JSON.stringify(piece)}`
                : `out of reading order: ${JSON.stringify(piece)}`);
            break;
        }
        at = i + piece.length;
    }
}
process.exit(status);
