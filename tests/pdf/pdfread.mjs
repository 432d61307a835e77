// What a screen reader in Firefox gets from a PDF: pdf.js (pdfjs-dist,
// pinned in package-lock.json) loads the file the way the browser's viewer
// does, and this module turns what it hands out (getMarkInfo, getStructTree,
// getTextContent with marked content) into plain data for structure.mjs and
// readorder.mjs.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
let pdfjs;
try {
    pdfjs = await import(join(here, "node_modules/pdfjs-dist/legacy/build/pdf.mjs"));
} catch (e) {
    process.stderr.write(`pdf.js is not installed (run: npm ci --prefix tests/pdf): ${e.message}\n`);
    process.exit(2);
}

// pdf.js names the marked content with MCID n of the page object "12 0 R"
// "p12R_mcn" (and "p12R0G_mcn" for a non-zero generation).
export const pdfjsVersion = pdfjs.version;

export function mcidOf(id) {
    const m = /_mc(\d+)$/.exec(id || "");
    return m ? Number(m[1]) : null;
}

// Walk a pdf.js structure tree depth-first: visit(node, path) for every
// structure element (path: the roles from the root, "Root" left out).
function walk(node, path, visit) {
    if (!node || node.type) return; // content, annotation or object reference
    const p = node.role === "Root" ? path : [...path, node.role];
    if (node.role !== "Root") visit(node, p);
    for (const kid of node.children || []) walk(kid, p, visit);
}

export async function readPdf(file) {
    const data = new Uint8Array(readFileSync(file));
    const doc = await pdfjs.getDocument({
        data,
        verbosity: 0,
        isEvalSupported: false,
        useSystemFonts: false,
        disableFontFace: true,
        stopAtErrors: false,
    }).promise;
    const meta = await doc.getMetadata().catch(() => ({}));
    const viewerPreferences = await doc.getViewerPreferences().catch(() => null);
    const result = {
        file,
        pdfjsVersion: pdfjs.version,
        numPages: doc.numPages,
        markInfo: await doc.getMarkInfo(),
        lang: meta.info?.Language ?? null,
        title: {
            info: meta.info?.Title ?? null,
            xmp: meta.metadata?.get?.("dc:title") ?? null,
        },
        displayDocTitle: viewerPreferences?.DisplayDocTitle ?? null,
        pages: [],
    };
    for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        const structTree = await page.getStructTree();
        const tc = await page.getTextContent({ includeMarkedContent: true, disableNormalization: true });

        // Text runs with the marked-content sequences around them.
        const stack = [];
        const runs = [];
        const mcText = new Map(); // marked-content id -> text inside it
        const mcSeen = [];
        for (const item of tc.items) {
            if (item.type === "beginMarkedContent" || item.type === "beginMarkedContentProps") {
                const mc = { tag: item.tag ?? null, id: item.id ?? null };
                stack.push(mc);
                if (mc.id !== null) {
                    mcSeen.push({ id: mc.id, mcid: mcidOf(mc.id), tag: mc.tag });
                    if (!mcText.has(mc.id)) mcText.set(mc.id, "");
                }
                continue;
            }
            if (item.type === "endMarkedContent") {
                stack.pop();
                continue;
            }
            if (typeof item.str !== "string" || item.str === "") continue;
            const ids = stack.filter((m) => m.id !== null).map((m) => m.id);
            for (const id of ids) mcText.set(id, mcText.get(id) + item.str);
            runs.push({
                str: item.str,
                x: Math.round(item.transform[4] * 100) / 100,
                y: Math.round(item.transform[5] * 100) / 100,
                markedContent: stack.map((m) => (m.id !== null ? `${m.tag}:${m.id}` : m.tag)),
                mcid: ids.length ? ids[ids.length - 1] : null,
                artifact: stack.some((m) => m.tag === "Artifact"),
            });
        }

        // What the tree refers to, and its reading order.
        const treeIds = new Set();
        const order = [];
        walk(structTree, [], (node, path) => {
            const own = (node.children || []).filter((k) => k.type === "content");
            own.forEach((k) => treeIds.add(k.id));
            const hasElementKids = (node.children || []).some((k) => !k.type);
            if (own.length || !hasElementKids) {
                order.push({
                    path: path.join("/"),
                    text: own.map((k) => mcText.get(k.id) ?? "").join(""),
                    mcids: own.map((k) => mcidOf(k.id)),
                    ...(node.alt !== undefined ? { alt: node.alt } : {}),
                    ...(node.lang !== undefined ? { lang: node.lang } : {}),
                });
            }
        });
        for (const r of runs) r.inTree = r.mcid !== null && treeIds.has(r.mcid);
        const outside = runs.filter((r) => !r.inTree && !r.artifact);
        const missing = [...treeIds].filter((id) => !mcText.has(id));
        result.pages.push({
            page: n,
            structTree,
            markedContent: mcSeen.map((m) => ({ ...m, text: mcText.get(m.id), inTree: treeIds.has(m.id) })),
            text: runs,
            readingOrder: order,
            summary: {
                textRuns: runs.length,
                inTree: runs.filter((r) => r.inTree).length,
                artifacts: runs.filter((r) => r.artifact && !r.inTree).length,
                outside: outside.length,
                outsideText: outside.slice(0, 20).map((r) => r.str),
                treeElements: order.length,
                treeMcids: treeIds.size,
                treeMcidsWithoutContent: missing,
            },
        });
    }
    const sum = (k) => result.pages.reduce((a, p) => a + p.summary[k], 0);
    result.summary = {
        marked: result.markInfo?.Marked === true,
        treePages: result.pages.filter((p) => p.structTree && (p.structTree.children || []).length).length,
        textRuns: sum("textRuns"),
        inTree: sum("inTree"),
        artifacts: sum("artifacts"),
        outside: sum("outside"),
        treeElements: sum("treeElements"),
        readingOrder: result.pages.flatMap((p) => p.readingOrder.map((e) => e.text)).join(""),
    };
    await doc.destroy();
    return result;
}

// readPdf for a command-line script: on failure, say so and exit 2.
export async function readPdfOrExit(file) {
    try {
        return await readPdf(file);
    } catch (e) {
        process.stderr.write(`${file}: error: pdf.js cannot read it: ${e.message}\n`);
        process.exit(2);
    }
}
