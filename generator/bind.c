#include "bind.h"
#include "bind_internal.h"
#include "typo.h"
#include "template.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* All the matching of one document may take this much time: each
 * match is bounded (LAYOUT_MATCH_LIMIT), but a pattern just under its
 * limit, tried on a thousand headings, would still take minutes. The
 * forms' patterns take well under a millisecond in all. */
#define BIND_MATCH_SECONDS 1.0

/* Elapsed, not CPU, time: the monotonic clock is read without a system
 * call (the vDSO), where the process CPU clock is a system call each, two
 * per match (118 for the FY2024 form). A budget of a second is a
 * thousand times what the forms take, so a busy machine never reaches it. */
static double match_clock(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* layout_match within the run's budget: 1, 0, or -1 (reported; binding
 * stops matching). */
static int bounded_match(Binder *b, pcre2_code *re, const char *subject, pcre2_match_data *md)
{
    if (b->pattern_failed)
        return -1;
    double t0 = match_clock();
    int m = layout_match(b->layout, re, subject, md, b->d);
    b->match_seconds += match_clock() - t0;
    if (m >= 0 && b->match_seconds > BIND_MATCH_SECONDS) {
        const char *src = "?";
        LayoutPos at = {b->layout->path, 0, 0};
        for (size_t i = 0; i < b->layout->npatterns; i++)
            if (b->layout->patterns[i].re == re) {
                src = b->layout->patterns[i].src;
                at = b->layout->patterns[i].pos;
            }
        diag_error(b->d, at.file, at.line, at.col,
                   "the layout's patterns took more than %.0f s of matching for one document (this one, `%s`, last); "
                   "simplify them (nested repeats backtrack)",
                   BIND_MATCH_SECONDS, src);
        m = -1;
    }
    b->pattern_failed |= m < 0;
    return m;
}

/* ---- messages in the form's words ------------------------------------ */

/* "Goal {number}" -> "Goal N": how to write such a heading. */
static char *spec_example(const SectionSpec *s)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (const char *p = s->name; *p; p++) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            if (e) {
                sb_puts(&sb, "N");
                p = e;
                continue;
            }
        }
        sb_putc(&sb, *p);
    }
    return sb_take(&sb);
}

/* "Goal {number}" -> "Goal": the section's word in the form. */
static char *spec_word(const SectionSpec *s)
{
    char *ex = spec_example(s);
    char *cut = strstr(ex, " N");
    if (cut)
        *cut = '\0';
    return ex;
}

static char *expected_list(const SectionSpec *parent)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (size_t i = 0; i < parent->nchildren; i++) {
        char *ex = spec_example(&parent->children[i]);
        sb_printf(&sb, "%s`%s`", i ? "、" : "", ex);
        free(ex);
    }
    return sb_take(&sb);
}

/* Length of the heading's words: up to its first space or digit (the
 * number and title follow them). */
static size_t heading_words(const char *h)
{
    const unsigned char *p = (const unsigned char *)h;
    size_t n = strlen(h), i = 0;
    while (i < n) {
        uint32_t cp;
        size_t l = utf8_decode(p + i, n - i, &cp);
        if (!l || cp == ' ' || cp == '\t' || cp == 0x3000 || (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19))
            break;
        i += l;
    }
    return i;
}

/* The spec whose words the heading's words are a typo of: compared whole
 * ("Actions plan" for "Action plan") and as a prefix (words run into the title). */
static const SectionSpec *nearest_spec(const SectionSpec *parent, const char *heading)
{
    const SectionSpec *best = NULL;
    long best_d = -1;
    char *words = xstrndup(heading, heading_words(heading));
    for (size_t i = 0; i < parent->nchildren; i++) {
        char *ex = spec_word(&parent->children[i]);
        long d = typo_distance(heading, ex, 1), w = typo_distance(words, ex, 0);
        if (w >= 0 && (d < 0 || w < d))
            d = w;
        if (d >= 0 && (best_d < 0 || d < best_d))
            best = &parent->children[i], best_d = d;
        free(ex);
    }
    free(words);
    return best;
}

static char *field_list(const SectionSpec *s)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    for (size_t i = 0; i < s->nfields; i++)
        sb_printf(&sb, "%s`%s`", i ? "、" : "", s->fields[i].key);
    return sb_take(&sb);
}

/* ---- numbering --------------------------------------------------------- */

/* Normalise full-width digits so that "１" numbers like "1". */
static char *ascii_digits(const char *s)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    size_t n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    while (n) {
        uint32_t cp;
        size_t l = utf8_decode(p, n, &cp);
        if (!l)
            break;
        if (cp >= 0xFF10 && cp <= 0xFF19)
            sb_putc(&sb, (char)('0' + (cp - 0xFF10)));
        else
            sb_append(&sb, (const char *)p, l);
        p += l;
        n -= l;
    }
    return sb_take(&sb);
}

static char *expected_number(const SectionSpec *s, int index)
{
    if (s->nsequence)
        return (size_t)index <= s->nsequence ? xstrdup(s->sequence[index - 1]) : NULL;
    StrBuf sb = {0};
    sb_printf(&sb, "%d", index);
    return sb_take(&sb);
}

/* ---- binding ----------------------------------------------------------- */

/* Named groups of a match become values: "title" from a heading, or
 * "aim.no" from a field's pattern (prefix "aim"). */
static void capture_values(Binder *b, Node *n, pcre2_code *re, const char *prefix, const char *subject, Pos pos)
{
    if (b->pattern_failed)
        return;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    int m = bounded_match(b, re, subject, md);
    int rc = m == 1 ? (int)pcre2_get_ovector_count(md) : 0;
    if (rc > 0) {
        uint32_t count, entry;
        PCRE2_SPTR table;
        pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
        pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
        pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        for (uint32_t i = 0; i < count; i++) {
            PCRE2_SPTR e = table + i * entry;
            int group = (e[0] << 8) | e[1];
            if (group < rc && ov[2 * group] != PCRE2_UNSET) {
                char *v = xstrndup(subject + ov[2 * group], ov[2 * group + 1] - ov[2 * group]);
                StrBuf key = {0};
                if (prefix)
                    sb_printf(&key, "%s.", prefix);
                sb_puts(&key, (const char *)e + 2);
                node_add_value(n, key.data, v, pos);
                sb_free(&key);
                free(v);
            }
        }
    }
    pcre2_match_data_free(md);
}

int bind_matches(Binder *b, pcre2_code *re, const char *s)
{
    return bounded_match(b, re, s, NULL) == 1;
}

/* "key: value" (ASCII or full-width colon). Returns the key length or 0. */
static size_t field_key(const char *text, const char **value)
{
    const char *nl = strchr(text, '\n');
    for (const char *p = text; *p && (!nl || p < nl); p++) {
        if (p[0] == ':' || strncmp(p, "：", 3) == 0) {
            size_t klen = (size_t)(p - text);
            while (klen && text[klen - 1] == ' ')
                klen--;
            const char *v = p + (p[0] == ':' ? 1 : 3);
            while (*v == ' ')
                v++;
            *value = v;
            return klen;
        }
    }
    return 0;
}

static const FieldSpec *find_field(const SectionSpec *s, const char *key, size_t klen)
{
    for (size_t i = 0; i < s->nfields; i++)
        if (strlen(s->fields[i].key) == klen && strncmp(s->fields[i].key, key, klen) == 0)
            return &s->fields[i];
    return NULL;
}

static const char *where(const Node *n)
{
    return n->label && *n->label ? n->label : "原稿";
}

/* Record one `key: value` field after checking it. */
static void set_field(Binder *b, Node *n, const FieldSpec *f, const char *keytext, size_t klen, const char *value,
                      Pos pos, const Block *blk)
{
    const char *file = b->doc->path;
    char *key = xstrndup(keytext, klen);
    char *val = xstrdup(value);
    char *nl = strchr(val, '\n');
    if (nl) /* a paragraph line: the value ends with its line */
        *nl = '\0';
    /* An empty value (`- grade:` not filled in yet) is a field left
     * blank: kept, so that a second copy is still caught, never checked. */
    if (node_value(n, key)) {
        diag_error(b->d, file, pos.line, pos.col, "%s: 項目 `%s` が 2 回書かれています", where(n), key);
    } else if (*val && f->pattern && !bind_matches(b, f->pattern, val) && !b->pattern_failed) {
        diag_error(b->d, file, pos.line, pos.col, "%s / %s: `%s` はここでは使えません。書き方: %s", where(n), key, val,
                   f->hint ? f->hint : f->pattern_src);
    } else {
        node_add_value(n, key, val, pos);
        n->values[n->nvalues - 1].block = blk;
        if (*val && f->pattern)
            capture_values(b, n, f->pattern, key, val, pos);
    }
    free(val);
    free(key);
}

/* What writers take for a list's dash. Markdown reads "・key: value" or
 * "-key: value" (no space) as a paragraph, so the field would be lost. */
static const char *const LOOKALIKE_BULLETS[] = {"・", "･", "－", "ー", "‐", "‑", "−", "–", "—", "―", "•", "●",
                                                "○", "◦", "■", "□", "◆", "◇", "＊", "＋", "-", "*", "+"};

/* The look-alike bullet line l starts with (its length; the text after it
 * and its spaces in *rest), or 0. */
static size_t lookalike_bullet(const char *l, const char **rest)
{
    for (size_t i = 0; i < sizeof LOOKALIKE_BULLETS / sizeof *LOOKALIKE_BULLETS; i++) {
        size_t n = strlen(LOOKALIKE_BULLETS[i]);
        if (strncmp(l, LOOKALIKE_BULLETS[i], n) != 0)
            continue;
        const char *r = l + n;
        while (*r == ' ' || strncmp(r, "　", 3) == 0)
            r += *r == ' ' ? 1 : 3;
        *rest = r;
        return n;
    }
    return 0;
}

/* Line l as a field of section s: as written, else after a look-alike
 * bullet (its length in *bullet). NULL if it is no field of s. */
static const FieldSpec *line_field(const SectionSpec *s, const char *l, const char **key, size_t *klen,
                                   const char **value, size_t *bullet)
{
    *bullet = 0;
    *key = l;
    *klen = field_key(l, value);
    const FieldSpec *f = *klen ? find_field(s, l, *klen) : NULL;
    if (f || !(*bullet = lookalike_bullet(l, key)))
        return f;
    *klen = field_key(*key, value);
    f = *klen ? find_field(s, *key, *klen) : NULL;
    if (!f)
        *bullet = 0;
    return f;
}

static void report_bullet(Binder *b, const char *l, size_t bullet, const char *key, size_t klen, Pos pos)
{
    if (bullet == 1)
        diag_error(b->d, b->doc->path, pos.line, pos.col,
                   "`%c` の後に半角空白がないので項目になりません。`- %.*s: ...` のように書いてください", l[0], (int)klen, key);
    else
        diag_error(b->d, b->doc->path, pos.line, pos.col,
                   "`%.*s` は箇条書きの記号になりません。項目は半角の `-` と空白で始めてください（`- %.*s: ...`）", (int)bullet, l,
                   (int)klen, key);
}

/* The first n lines of a paragraph, as a block the node owns (the
 * prose above fields written with look-alike bullets). */
static const Block *prose_block(Node *n, const Block *blk, size_t nlines)
{
    StrBuf sb = {0};
    sb_puts(&sb, "");
    const char *l = blk->lines;
    for (size_t i = 0; i < nlines; i++, l = strchr(l, '\n') + 1) {
        size_t len = strcspn(l, "\n");
        /* Western words on either side of a line break take a space. */
        if (i && sb.len && (unsigned char)sb.data[sb.len - 1] < 0x80 && (unsigned char)l[0] < 0x80)
            sb_putc(&sb, ' ');
        sb_append(&sb, l, len);
    }
    Block *own = xcalloc(1, sizeof *own);
    *own = *blk;
    own->text = sb_take(&sb);
    own->lines = NULL;
    own->end_line = blk->pos.line + (int)nlines - 1;
    GROW(n->owned, n->ocap, n->nowned + 1);
    n->owned[n->nowned++] = own;
    return own;
}

/* Fields written as paragraph lines: a paragraph whose every line is
 * `key: value` with a key of this section, or whose last lines are such
 * fields after look-alike bullets (reported, then read as fields). A
 * sentence with a colon stays prose. Returns what is left as prose: the
 * block itself, its lines before the fields, or NULL. */
static const Block *para_fields(Binder *b, Node *n, const Block *blk)
{
    if (!blk->lines || !n->spec->nfields)
        return blk;
    size_t nlines = 1, first = 0; /* the fields are lines [first, nlines) */
    for (const char *p = strchr(blk->lines, '\n'); p; p = strchr(p + 1, '\n'))
        nlines++;
    size_t i = 0;
    int bullets = 1; /* every line from `first` has a look-alike bullet */
    for (const char *l = blk->lines; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL, i++) {
        const char *key, *value;
        size_t klen, bullet;
        if (!line_field(n->spec, l, &key, &klen, &value, &bullet))
            first = i + 1, bullets = 1;
        else
            bullets &= bullet > 0;
    }
    if (first == nlines || (first > 0 && !bullets))
        return blk;
    i = 0;
    for (const char *l = blk->lines; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL, i++) {
        const char *key, *value;
        size_t klen, bullet;
        const FieldSpec *f = i >= first ? line_field(n->spec, l, &key, &klen, &value, &bullet) : NULL;
        Pos pos = {blk->pos.line + (int)i, 1};
        if (f && bullet)
            report_bullet(b, l, bullet, key, klen, pos);
        if (f)
            set_field(b, n, f, key, klen, value, pos, blk);
    }
    return first ? prose_block(n, blk, first) : NULL;
}

static void bind_body(Binder *b, Node *n, const Section *sec)
{
    const SectionSpec *s = n->spec;
    const char *file = b->doc->path;
    for (size_t i = 0; i < sec->nblocks; i++) {
        const Block *blk = &sec->blocks[i];
        if (blk->kind == BLOCK_ITEM && !blk->ordered) {
            const char *value;
            size_t klen = field_key(blk->text, &value);
            const FieldSpec *f = klen ? find_field(s, blk->text, klen) : NULL;
            if (!f) {
                char *fl = field_list(s);
                if (s->nfields)
                    diag_error(b->d, file, blk->pos.line, blk->pos.col,
                               "%s: `- %.*s` は%s%sの項目ではありません。項目は %s です（`- key: value` の形で書きます）",
                               where(n), klen ? (int)klen : utf8_prefix(blk->text, 60), blk->text, where(n),
                               ja_gap(where(n)), fl);
                else
                    diag_error(b->d, file, blk->pos.line, blk->pos.col,
                               "%s: ここに箇条書きで書けるのは項目だけですが、%s%sには項目がありません。文章は段落として書いてください",
                               where(n), where(n), ja_gap(where(n)));
                free(fl);
                continue;
            }
            set_field(b, n, f, blk->text, klen, value, blk->pos, blk);
            continue;
        }
        if (blk->kind == BLOCK_PARA && !(blk = para_fields(b, n, blk)))
            continue;
        if (blk->kind == BLOCK_ITEM && !s->items) {
            diag_error(b->d, file, blk->pos.line, blk->pos.col,
                       "%s: ここでは番号付きの箇条書きは使いません。文章は段落として書いてください", where(n));
            continue;
        }
        if (blk->kind == BLOCK_PARA && s->body == BODY_NONE) {
            if (n->parent == NULL)
                diag_error(b->d, file, blk->pos.line, blk->pos.col,
                           "最初の見出しより前に文章があります。段落はどれも%sの下に書いてください",
                           "見出し（docs/content-format.md にあるもの）");
            else
                diag_error(b->d, file, blk->pos.line, blk->pos.col, "%s%sには文章を書けません。書けるのは項目%s",
                           where(n), ja_gap(where(n)), s->nfields ? "（様式で決めたもの）だけです" : "だけですが、項目もありません");
            continue;
        }
        GROW(n->body, n->bcap, n->nbody + 1);
        n->body[n->nbody++] = blk;
    }
    if (s->body == BODY_REQUIRED && n->nbody == 0)
        diag_error(b->d, file, n->pos.line, n->pos.col, "%s%sに文章がありません。見出しの下に段落として書いてください",
                   where(n), ja_gap(where(n)));
    for (size_t i = 0; i < s->nfields; i++)
        if (s->fields[i].required && !(node_value(n, s->fields[i].key) && *node_value(n, s->fields[i].key)->text))
            diag_error(b->d, file, n->pos.line, n->pos.col, "%s%sに項目 `%s` がありません。見出しの下に `- %s: ...` の行を加えてください",
                       where(n), ja_gap(where(n)), s->fields[i].key, s->fields[i].key);
}

/* ---- headings the form does not have ------------------------------------ */

/* How a named group of a heading pattern is called in messages. */
static const char *group_word(const SectionSpec *cs, const char *g)
{
    if (cs->number && strcmp(g, cs->number) == 0)
        return "番号";
    return strcmp(g, "title") == 0 ? "タイトル" : g;
}

/* Whether the spec's name template prints group g ("{number}"). */
static int name_uses(const SectionSpec *cs, const char *g)
{
    size_t n = strlen(g);
    for (const char *p = strchr(cs->name, '{'); p; p = strchr(p + 1, '{'))
        if (strncmp(p + 1, g, n) == 0 && (p[1 + n] == '}' || p[1 + n] == '|'))
            return 1;
    return 0;
}

#define MAX_GROUPS 8

/* The named groups of re in the order they stand in the pattern. */
static size_t named_groups(const pcre2_code *re, const char **names)
{
    uint32_t count, entry;
    PCRE2_SPTR table;
    pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
    int num[MAX_GROUPS];
    size_t n = 0;
    for (uint32_t i = 0; i < count && n < MAX_GROUPS; i++, n++) {
        PCRE2_SPTR e = table + i * entry;
        size_t k = n;
        for (; k > 0 && num[k - 1] > ((e[0] << 8) | e[1]); k--) /* insertion by group number */
            num[k] = num[k - 1], names[k] = names[k - 1];
        num[k] = (e[0] << 8) | e[1];
        names[k] = (const char *)e + 2;
    }
    return n;
}

/* A heading that stops short of spec cs: completed with the groups the
 * spec's name does not print (the title), else with all of them (the
 * number too), it matches. The completed heading goes to *fixed and the
 * words of what it lacks to *lack. */
static int incomplete_heading(Binder *b, const Node *n, const SectionSpec *cs, const char *heading, StrBuf *fixed,
                              StrBuf *lack)
{
    const char *g[MAX_GROUPS];
    size_t ng = named_groups(cs->match, g);
    for (int all = 0; all < 2; all++) {
        fixed->len = lack->len = 0;
        sb_puts(fixed, heading);
        sb_puts(lack, "");
        for (size_t i = 0; i < ng; i++) {
            if (name_uses(cs, g[i]) && !all)
                continue;
            char *num = cs->number && strcmp(g[i], cs->number) == 0
                            ? expected_number(cs, (int)node_count(n, cs->id) + 1) : NULL;
            sb_printf(fixed, " %s", num ? num : group_word(cs, g[i]));
            sb_printf(lack, "%s%s", lack->len ? "と" : "", group_word(cs, g[i]));
            free(num);
        }
        if (lack->len && bind_matches(b, cs->match, fixed->data))
            return 1;
    }
    return 0;
}

/* The heading with its words replaced by the spec's ("Actoin 1" ->
 * "Action 1") when that matches the spec, else the spec's example. */
static char *suggestion(Binder *b, const SectionSpec *cs, const char *heading)
{
    char *word = spec_word(cs);
    StrBuf sb = {0};
    sb_printf(&sb, "%s%s", word, heading + heading_words(heading));
    free(word);
    if (bind_matches(b, cs->match, sb.data))
        return sb_take(&sb);
    sb_free(&sb);
    return spec_example(cs);
}

/* A heading that lacks a part of some section's heading: say which. */
static const SectionSpec *report_incomplete(Binder *b, const Node *n, const Section *c)
{
    const SectionSpec *s = n->spec;
    StrBuf fixed = {0}, lack = {0};
    const SectionSpec *found = NULL;
    for (size_t k = 0; k < s->nchildren && !found; k++)
        if (incomplete_heading(b, n, &s->children[k], c->heading, &fixed, &lack))
            found = &s->children[k];
    if (found) {
        int level = n->src ? n->src->level + 1 : 1;
        diag_error(b->d, b->doc->path, c->pos.line, c->pos.col,
                   "見出し `%s` に%sがありません。`%.*s %s` の形で、%sも書いてください", c->heading, lack.data, level,
                   "######", fixed.data, lack.data);
    }
    sb_free(&fixed);
    sb_free(&lack);
    return found;
}

/* A heading that matches no section of n: say what it probably is. The
 * section it was meant to be, if that is clear, is returned, to be
 * counted as written (no follow-on "N is missing", "wrong number"). */
static const SectionSpec *report_unplaced(Binder *b, const Node *n, const Section *c)
{
    if (b->pattern_failed) /* what follows from it is no news */
        return NULL;
    const SectionSpec *s = n->spec;
    const char *file = b->doc->path;
    const Node *owner = NULL; /* an outer section this heading belongs to */
    for (const Node *a = n->parent; a && !owner; a = a->parent)
        for (size_t k = 0; k < a->spec->nchildren && !owner; k++)
            if (bind_matches(b, a->spec->children[k].match, c->heading))
                owner = a;
    const SectionSpec *meant = owner ? NULL : report_incomplete(b, n, c);
    const SectionSpec *near = owner || meant ? NULL : nearest_spec(s, c->heading);
    int level = n->src ? n->src->level + 1 : 1;
    if (owner) {
        int olevel = owner->src ? owner->src->level + 1 : 1;
        diag_error(b->d, file, c->pos.line, c->pos.col,
                   "`%s` は%s%sの中の見出しです。%.*s ではなく、レベル %d の見出し（`%.*s %s`）にしてください",
                   c->heading, where(owner), ja_gap(where(owner)), c->level, "######", olevel, olevel, "######", c->heading);
    } else if (meant) {
        return meant;
    } else if (near) {
        char *ex = suggestion(b, near, c->heading);
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの中の見出し `%s` は様式にありません。`%.*s %s` のまちがいではありませんか",
                   where(n), ja_gap(where(n)), c->heading, level, "######", ex);
        free(ex);
        return near;
    } else if (s->nchildren) {
        char *list = expected_list(s);
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの中の見出し `%s` は様式にありません。使える見出し: %s",
                   where(n), ja_gap(where(n)), c->heading, list);
        free(list);
    } else {
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの下には見出しを置けません。`%s` はここには入りません",
                   where(n), ja_gap(where(n)), c->heading);
    }
    return NULL;
}

/* The new child must fit the form's count of its kind. */
static void check_count(Binder *b, const Node *n, const Node *child, const Section *c)
{
    if (b->pattern_failed) /* what follows from it is no news */
        return;
    const SectionSpec *cs = child->spec;
    if (child->index <= cs->max)
        return;
    if (cs->max == 1) {
        const Node *first = node_child(n, cs->id, 1);
        diag_error(b->d, b->doc->path, c->pos.line, c->pos.col,
                   "`%s` が 2 回あります（最初は %d 行目）。様式には 1 つしかないので、すべてそこに書いてください", c->heading,
                   first ? first->pos.line : 0);
    } else {
        char *word = spec_word(cs);
        diag_error(b->d, b->doc->path, c->pos.line, c->pos.col,
                   "%s: 様式では%s%sに入る `%s` は %d 個までです（これは %d 番目）", child->label, where(n),
                   ja_gap(where(n)), word, cs->max, child->index);
        free(word);
    }
}

/* Its number must be the next of the sequence (1, 2, 3 or ア, イ, ウ). */
static void check_number(Binder *b, const Node *n, const Node *child, const Section *c)
{
    if (b->pattern_failed) /* what follows from it is no news */
        return;
    const SectionSpec *cs = child->spec;
    const Value *v = cs->number ? node_value(child, cs->number) : NULL;
    char *want = v ? expected_number(cs, child->index) : NULL;
    char *got = v ? ascii_digits(v->text) : NULL;
    if (want && got && strcmp(got, want) != 0) {
        int dup = 0;
        for (size_t k = 0; k + 1 < n->nchildren; k++) {
            const Node *o = n->children[k];
            const Value *ov = o->spec == cs ? node_value(o, cs->number) : NULL;
            char *og = ov ? ascii_digits(ov->text) : NULL;
            dup |= og && strcmp(og, got) == 0;
            free(og);
        }
        if (dup)
            diag_error(b->d, b->doc->path, c->pos.line, c->pos.col, "%s: 番号 %s が 2 回使われています。ここは %s にしてください",
                       child->label, got, want);
        else
            diag_error(b->d, b->doc->path, c->pos.line, c->pos.col, "%s: 番号の順が違います。ここは %s のはずです",
                       child->label, want);
    }
    free(want);
    free(got);
}

/* A child node for heading c, bound to spec cs, with its values and words. */
static Node *new_child(Binder *b, Node *n, const SectionSpec *cs, const Section *c, size_t guessed)
{
    Node *child = node_new(cs, n, c->pos);
    child->src = c;
    child->index = (int)(node_count(n, cs->id) + guessed) + 1;
    capture_values(b, child, cs->match, NULL, c->heading, c->pos);
    char *name = template_string(cs->name, child);
    child->name = name ? name : xstrdup(cs->id);
    StrBuf label = {0};
    if (n->label && *n->label)
        sb_printf(&label, "%s / ", n->label);
    sb_puts(&label, child->name);
    child->label = sb_take(&label);
    node_attach(n, child);
    return child;
}

static void bind_children(Binder *b, Node *n, const Section *sec)
{
    const SectionSpec *s = n->spec;
    const char *file = b->doc->path;
    /* Headings of each kind reported as misspelt or incomplete: they still
     * count, so the next one's number and the minimum are not wrong too. */
    size_t *guessed = xcalloc(s->nchildren + 1, sizeof *guessed);
    for (size_t i = 0; i < sec->nchildren; i++) {
        const Section *c = sec->children[i];
        const SectionSpec *cs = NULL;
        for (size_t k = 0; k < s->nchildren && !cs; k++)
            if (bind_matches(b, s->children[k].match, c->heading))
                cs = &s->children[k];
        if (!cs) {
            const SectionSpec *meant = report_unplaced(b, n, c);
            if (meant)
                guessed[meant - s->children]++;
            continue;
        }
        if (c->level != sec->level + 1)
            diag_error(b->d, file, c->pos.line, c->pos.col, "`%s` はここではレベル %d の見出し（%.*s）にしてください",
                       c->heading, sec->level + 1, sec->level + 1, "######");
        Node *child = new_child(b, n, cs, c, guessed[cs - s->children]);
        check_count(b, n, child, c);
        check_number(b, n, child, c);
        bind_body(b, child, c);
        bind_children(b, child, c);
    }
    /* Sections the form needs that the document lacks. */
    for (size_t k = 0; k < s->nchildren; k++) {
        const SectionSpec *cs = &s->children[k];
        size_t have = node_count(n, cs->id);
        if (have + guessed[k] < (size_t)cs->min && !b->pattern_failed) {
            char *ex = spec_example(cs);
            int line = n->parent ? n->pos.line : (sec->nchildren ? sec->children[sec->nchildren - 1]->pos.line : 1);
            diag_error(b->d, file, line, n->parent ? n->pos.col : 1,
                       "%s%sには `%s` の見出しが%s%d 個必要ですが、%zu 個です（見出し `%.*s %s` を加えてください）",
                       where(n), ja_gap(where(n)), ex, cs->min == cs->max ? " " : "少なくとも ", cs->min, have,
                       sec->level + 1, "######", ex);
            free(ex);
        }
    }
    free(guessed);
}

/* A value of a section (its body, a field, a part of its heading or of a
 * field) or of a section below it that is not there. Values written at
 * year end (`evaluation`) are blank in the plan edition: the cell stays
 * blank, as a form to fill in by hand. */
static int missing_value(const Node *n, const char *path, const char *cell, const char *file, Diag *d)
{
    const SectionSpec *s = n->spec;
    const char *w = where(n), *gap = ja_gap(where(n));
    Pos at = n->pos.line ? n->pos : (Pos){1, 1};
    const char *dot = strchr(path, '.');
    const SectionSpec *child = NULL;
    for (size_t i = 0; dot && i < s->nchildren && !child; i++)
        if (strlen(s->children[i].id) == (size_t)(dot - path) && strncmp(s->children[i].id, path, (size_t)(dot - path)) == 0)
            child = &s->children[i];
    if (child) {
        if (child->min >= 1 || child->evaluation)
            return 0; /* bind_children said so; a year-end section is blank until then */
        char *ex = spec_example(child);
        int level = n->src ? n->src->level + 1 : 1;
        diag_error(d, file, at.line, at.col, "%s: この欄に必要な `%s` の見出しが%s%sにありません。見出し `%.*s %s` を加えてください",
                   cell, ex, w, gap, level, "######", ex);
        free(ex);
        return 1;
    }
    if (strcmp(path, "body") == 0) {
        if (s->body == BODY_REQUIRED || s->evaluation)
            return 0; /* bind_body said so; a year-end section is blank until then */
        diag_error(d, file, at.line, at.col, "%s: この欄に必要な文章が%s%sにありません。見出しの下に段落として書いてください", cell, w,
                   gap);
        return 1;
    }
    for (size_t i = 0; i < s->nfields; i++) {
        const FieldSpec *f = &s->fields[i];
        size_t k = strlen(f->key);
        if (strncmp(path, f->key, k) != 0 || (path[k] && path[k] != '.'))
            continue;
        const Value *v = node_value(n, f->key);
        if (v && *v->text) /* written, without the part of its pattern this cell prints */
            diag_error(d, file, v->pos.line, v->pos.col, "%s: `%s: %s` には、この欄に入れる部分がありません。書き方: %s", cell,
                       f->key, v->text, f->hint ? f->hint : f->pattern_src ? f->pattern_src : f->key);
        else if (f->required || f->evaluation || s->evaluation)
            return 0; /* bind_body said so; a year-end value is blank until then */
        else
            diag_error(d, file, at.line, at.col, "%s: この欄に必要な項目 `%s` が%s%sにありません。見出しの下に `- %s: ...` の行を加えてください",
                       cell, f->key, w, gap, f->key);
        return 1;
    }
    diag_error(d, file, at.line, at.col, "%s: この欄に必要な `%s` が%s%sの見出しにありません", cell, path, w, gap);
    return 1;
}

int bind_report_missing(const Layout *l, const Missing *m, const char *cell, const char *file, Diag *d)
{
    const Node *n = m->node;
    if (!n || n->filler)
        return 0; /* a blank row of a table: nothing was written to print */
    const char *dot = strchr(m->path, '.');
    int in_section = n->parent || strcmp(m->path, "body") == 0;
    for (size_t i = 0; dot && i < n->spec->nchildren && !in_section; i++)
        in_section = strlen(n->spec->children[i].id) == (size_t)(dot - m->path) &&
                     strncmp(n->spec->children[i].id, m->path, (size_t)(dot - m->path)) == 0;
    return in_section ? missing_value(n, m->path, cell, file, d) : bind_missing_meta(l, n, m->path, cell, file, d);
}

int bind_document(const Document *doc, const Layout *layout, Node **out, Diag *d)
{
    size_t before = d->errors;
    Binder b = {doc, layout, d, 0, 0};
    Pos start = {1, 1};
    Node *root = node_new(&layout->root, NULL, start);
    root->src = &doc->root;
    root->label = xstrdup("");
    bind_meta(&b, root);
    bind_body(&b, root, &doc->root);
    bind_children(&b, root, &doc->root);
    *out = root;
    return d->errors == before ? 0 : -1;
}
