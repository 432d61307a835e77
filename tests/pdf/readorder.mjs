#!/usr/bin/env node
// readorder.mjs FILE.pdf [--pages]
//
// The text of a PDF as a screen reader reads it through pdf.js: the
// structure tree walked depth first, one structure element a line, with its
// role path and the text of the marked content it references, e.g.
//     Document/Table/TR/TH: 部局名
// Elements with element children print only when they also reference
// content of their own; empty leaf elements (a blank TD) print with no
// text. --pages puts the page number in front ("p3 Document/...").
import { readPdfOrExit } from "./pdfread.mjs";

const args = process.argv.slice(2);
const pages = args.includes("--pages");
const file = args.find((a) => !a.startsWith("--"));
if (!file) {
    process.stderr.write("usage: readorder.mjs FILE.pdf [--pages]\n");
    process.exit(2);
}
const r = await readPdfOrExit(file);
const out = [];
for (const p of r.pages) {
    for (const e of p.readingOrder) {
        const alt = e.alt !== undefined ? ` [Alt: ${e.alt}]` : "";
        out.push(`${pages ? `p${p.page} ` : ""}${e.path}: ${e.text.replace(/\s*\n\s*/g, " ")}${alt}`);
    }
}
process.stdout.write(out.join("\n") + (out.length ? "\n" : ""));
if (!r.summary.treeElements) process.stderr.write(`${file}: no structure tree (the PDF is not tagged)\n`);
