#!/usr/bin/env python3
"""The counts in docs/content-format.md section 3 (the 個数 column of each
layout's table, the [min–max] of the English list, "officers は N 件まで")
against the layouts: every section's min and max in layouts/NAME.yaml, and
the items of each front-matter list its metadata declares. Prints each
difference; exits 1 if there is any. Reads the layouts' simple block style
(no YAML library needed)."""
import re
import sys


def layout_sections(path):
    """(level, word, min, max) of every section spec, depth first."""
    out, stack, cur = [], [], None
    in_sections = False
    for line in open(path, encoding="utf-8"):
        if re.match(r"^\S", line):
            in_sections = line.startswith("sections:")
            continue
        if not in_sections:
            continue
        m = re.match(r"^( *)- id: *(\S+)", line)
        if m:
            indent = len(m.group(1))
            while stack and stack[-1] >= indent:
                stack.pop()
            stack.append(indent)
            cur = {"level": len(stack), "id": m.group(2), "name": m.group(2), "min": 0, "max": 1}
            out.append(cur)
            continue
        m = re.match(r"^ *(name|min|max): *'?([^'#]*?)'? *(#.*)?$", line)
        if m and cur is not None:
            cur[m.group(1)] = int(m.group(2)) if m.group(1) != "name" else m.group(2)
    for s in out:  # the form's word: the name before its first {placeholder}
        s["word"] = re.sub(r"\s*\{.*$", "", s["name"])
    return out


def layout_lists(path):
    """{list: items} of the front matter's lists ("officers.1.name": 2)."""
    lists = {}
    for m in re.finditer(r"key: *([A-Za-z_]+)\.([0-9]+)\.", open(path, encoding="utf-8").read()):
        lists[m.group(1)] = max(lists.get(m.group(1), 0), int(m.group(2)) + 1)
    return lists


def doc_parts(doc, layout):
    """The Japanese table and the English list of one layout."""
    ja = re.search(r"### `%s`.*?\n(.*?)(?=\n### |\n`[a-z0-9-]+` には|\n---)" % re.escape(layout), doc, re.S)
    en = re.search(r"\n`%s` \(.*?\n(.*?)(?=\n\n)" % re.escape(layout), doc, re.S)
    return (ja.group(0) if ja else ""), (en.group(0) if en else "")


def counts(text):
    """"1〜5" or "1–5" -> (1, 5); "1" -> (1, 1)."""
    parts = re.split(r"[〜–]", text)
    return int(parts[0]), int(parts[-1])


def check(layout_path, doc):
    name = re.search(r"^name: *(\S+)", open(layout_path, encoding="utf-8").read(), re.M).group(1)
    ja, en = doc_parts(doc, name)
    problems = []
    if not ja or not en:
        return ["%s: no section 3 table or English list for layout %s" % (layout_path, name)]
    ja_rows = re.findall(r"^\| `(#+) ([^`]*)`[^|]*\| *([0-9〜]+) *\|", ja, re.M)
    en_rows = re.findall(r"^- `(#+) ([^`]*)` \[([0-9–]+)\]", en, re.M)
    for where, rows in (("table", ja_rows), ("English list", en_rows)):
        for s in layout_sections(layout_path):
            hit = [r for r in rows if len(r[0]) == s["level"] and r[1].startswith(s["word"])]
            hit = [r for r in hit if not any(len(o["word"]) > len(s["word"]) and r[1].startswith(o["word"])
                                             for o in layout_sections(layout_path) if o["level"] == s["level"])]
            if len(hit) != 1:
                problems.append("docs/content-format.md: %s %s: `%s %s` is listed %d times (want once)"
                                % (name, where, "#" * s["level"], s["word"], len(hit)))
                continue
            if counts(hit[0][2]) != (s["min"], s["max"]):
                problems.append("docs/content-format.md: %s %s: `%s %s` says %s, the layout %d to %d"
                                % (name, where, "#" * s["level"], s["word"], hit[0][2], s["min"], s["max"]))
    for lst, n in layout_lists(layout_path).items():
        if "`%s` は %d 件まで" % (lst, n) not in ja or "`%s` at most %d" % (lst, n) not in en:
            problems.append("docs/content-format.md: %s: the layout has %d `%s`, the docs say otherwise" % (name, n, lst))
    return problems


def main():
    doc = open(sys.argv[1], encoding="utf-8").read()
    problems = [p for path in sys.argv[2:] for p in check(path, doc)]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
