#include "bind.h"
#include "template.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const Document *doc;
    const Layout *layout;
    Diag *d;
    int pattern_failed; /* a pattern hit its limits: reported once, no more matching */
} Binder;

Node *node_new(const SectionSpec *spec, Node *parent, Pos pos)
{
    Node *n = xcalloc(1, sizeof *n);
    n->spec = spec;
    n->parent = parent;
    n->pos = pos;
    return n;
}

void node_add_value(Node *n, const char *key, const char *text, Pos pos)
{
    GROW(n->values, n->vcap, n->nvalues + 1);
    Value *v = &n->values[n->nvalues++];
    v->key = xstrdup(key);
    v->text = xstrdup(text);
    v->pos = pos;
    v->block = NULL;
}

void node_attach(Node *parent, Node *child)
{
    child->parent = parent;
    GROW(parent->children, parent->ccap, parent->nchildren + 1);
    parent->children[parent->nchildren++] = child;
}

const Value *node_value(const Node *n, const char *key)
{
    for (size_t i = 0; i < n->nvalues; i++)
        if (strcmp(n->values[i].key, key) == 0)
            return &n->values[i];
    return NULL;
}

const Node *node_child(const Node *n, const char *id, int index)
{
    for (size_t i = 0; i < n->nchildren; i++)
        if (strcmp(n->children[i]->spec->id, id) == 0 && n->children[i]->index == index)
            return n->children[i];
    return NULL;
}

size_t node_count(const Node *n, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nchildren; i++)
        k += strcmp(n->children[i]->spec->id, id) == 0;
    return k;
}

void node_free(Node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nchildren; i++)
        node_free(n->children[i]);
    free(n->children);
    for (size_t i = 0; i < n->nvalues; i++) {
        free(n->values[i].key);
        free(n->values[i].text);
    }
    free(n->values);
    free(n->body);
    free(n->label);
    free(n->name);
    free(n);
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

/* Edit distance between two code point strings (small inputs only). */
static size_t distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t *row = xmalloc((nb + 1) * sizeof *row);
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t r = row[nb];
    free(row);
    return r;
}

/* How far word is from want (edit distance in characters; with prefix,
 * only word's first characters, as many as want has), or -1 when too far
 * to be a typo of it (more than a third of want). */
static long typo_distance(const char *word, const char *want, int prefix)
{
    size_t nw, nt;
    uint32_t *w = utf8_to_u32(word, &nw), *t = utf8_to_u32(want, &nt);
    size_t d = distance(w, prefix && nw > nt ? nt : nw, t, nt);
    free(w);
    free(t);
    return nt >= 2 && d * 3 <= nt ? (long)d : -1;
}

/* The spec whose literal name prefix the heading nearly starts with. */
static const SectionSpec *nearest_spec(const SectionSpec *parent, const char *heading)
{
    const SectionSpec *best = NULL;
    long best_d = -1;
    for (size_t i = 0; i < parent->nchildren; i++) {
        char *ex = spec_word(&parent->children[i]);
        long d = typo_distance(heading, ex, 1);
        if (d >= 0 && (best_d < 0 || d < best_d))
            best = &parent->children[i], best_d = d;
        free(ex);
    }
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
    int m = layout_match(b->layout, re, subject, md, b->d);
    int rc = m == 1 ? (int)pcre2_get_ovector_count(md) : 0;
    b->pattern_failed |= m < 0;
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

/* After a pattern gave up, nothing matches (and nothing more is said:
 * the layout's error is the one to fix). */
static int matches(Binder *b, pcre2_code *re, const char *s)
{
    if (b->pattern_failed)
        return 0;
    int m = layout_match(b->layout, re, s, NULL, b->d);
    b->pattern_failed |= m < 0;
    return m == 1;
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
    } else if (*val && f->pattern && !matches(b, f->pattern, val) && !b->pattern_failed) {
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

/* A paragraph whose every line is `key: value` with a key of this section
 * holds fields, written without the list dash. Anything else is prose. */
static int para_fields(Binder *b, Node *n, const Block *blk)
{
    if (!blk->lines || !n->spec->nfields)
        return 0;
    for (const char *l = blk->lines; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        const char *value;
        size_t klen = field_key(l, &value);
        if (!klen || !find_field(n->spec, l, klen))
            return 0;
    }
    int line = blk->pos.line;
    for (const char *l = blk->lines; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL, line++) {
        const char *value;
        size_t klen = field_key(l, &value);
        Pos pos = {line, 1};
        set_field(b, n, find_field(n->spec, l, klen), l, klen, value, pos, blk);
    }
    return 1;
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
        if (blk->kind == BLOCK_PARA && para_fields(b, n, blk))
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

/* A heading that matches no section of n: say what it probably is. */
static void report_unplaced(Binder *b, const Node *n, const Section *c)
{
    if (b->pattern_failed) /* what follows from it is no news */
        return;
    const SectionSpec *s = n->spec;
    const char *file = b->doc->path;
    const Node *owner = NULL; /* an outer section this heading belongs to */
    for (const Node *a = n->parent; a && !owner; a = a->parent)
        for (size_t k = 0; k < a->spec->nchildren && !owner; k++)
            if (matches(b, a->spec->children[k].match, c->heading))
                owner = a;
    const SectionSpec *near = owner ? NULL : nearest_spec(s, c->heading);
    if (owner) {
        int level = owner->src ? owner->src->level + 1 : 1;
        diag_error(b->d, file, c->pos.line, c->pos.col,
                   "`%s` は%s%sの中の見出しです。%.*s ではなく、レベル %d の見出し（`%.*s %s`）にしてください",
                   c->heading, where(owner), ja_gap(where(owner)), c->level, "######", level, level, "######", c->heading);
    } else if (near) {
        char *ex = spec_example(near);
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの中の見出し `%s` は様式にありません。`%s` のまちがいではありませんか",
                   where(n), ja_gap(where(n)), c->heading, ex);
        free(ex);
    } else if (s->nchildren) {
        char *list = expected_list(s);
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの中の見出し `%s` は様式にありません。使える見出し: %s",
                   where(n), ja_gap(where(n)), c->heading, list);
        free(list);
    } else {
        diag_error(b->d, file, c->pos.line, c->pos.col, "%s%sの下には見出しを置けません。`%s` はここには入りません",
                   where(n), ja_gap(where(n)), c->heading);
    }
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
static Node *new_child(Binder *b, Node *n, const SectionSpec *cs, const Section *c)
{
    Node *child = node_new(cs, n, c->pos);
    child->src = c;
    child->index = (int)node_count(n, cs->id) + 1;
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
    for (size_t i = 0; i < sec->nchildren; i++) {
        const Section *c = sec->children[i];
        const SectionSpec *cs = NULL;
        for (size_t k = 0; k < s->nchildren && !cs; k++)
            if (matches(b, s->children[k].match, c->heading))
                cs = &s->children[k];
        if (!cs) {
            report_unplaced(b, n, c);
            continue;
        }
        if (c->level != sec->level + 1)
            diag_error(b->d, file, c->pos.line, c->pos.col, "`%s` はここではレベル %d の見出し（%.*s）にしてください",
                       c->heading, sec->level + 1, sec->level + 1, "######");
        Node *child = new_child(b, n, cs, c);
        check_count(b, n, child, c);
        check_number(b, n, child, c);
        bind_body(b, child, c);
        bind_children(b, child, c);
    }
    /* Sections the form needs that the document lacks. */
    for (size_t k = 0; k < s->nchildren; k++) {
        const SectionSpec *cs = &s->children[k];
        size_t have = node_count(n, cs->id);
        if (have < (size_t)cs->min && !b->pattern_failed) {
            char *ex = spec_example(cs);
            int line = n->parent ? n->pos.line : (sec->nchildren ? sec->children[sec->nchildren - 1]->pos.line : 1);
            diag_error(b->d, file, line, n->parent ? n->pos.col : 1,
                       "%s%sには `%s` の見出しが%s%d 個必要ですが、%zu 個です（見出し `%.*s %s` を加えてください）",
                       where(n), ja_gap(where(n)), ex, cs->min == cs->max ? " " : "少なくとも ", cs->min, have,
                       sec->level + 1, "######", ex);
            free(ex);
        }
    }
}

static void bind_meta(Binder *b, Node *root)
{
    const Document *doc = b->doc;
    const char *file = doc->path;
    if (!doc->has_front_matter || doc->front_matter_invalid)
        return; /* reported while parsing or choosing the layout */
    for (size_t i = 0; i < doc->nmeta; i++) {
        const MetaEntry *e = &doc->meta[i];
        node_add_value(root, e->key, e->value, e->pos);
        /* A key the layout does not know is most often a typo of one it does. */
        int known = strcmp(e->key, "layout") == 0;
        const char *best = NULL;
        long best_d = -1;
        for (size_t k = 0; k < b->layout->nmeta && !known; k++) {
            const char *want = b->layout->meta[k].key;
            known = strcmp(want, e->key) == 0;
            long dist = typo_distance(e->key, want, 0);
            if (dist >= 0 && (best_d < 0 || dist < best_d))
                best = want, best_d = dist;
        }
        if (!known)
            diag_warning(b->d, file, e->pos.line, e->pos.col, "前付けのキー `%s` は様式で使われていません%s%s%s",
                         e->key, best ? "。`" : "", best ? best : "", best ? "` のまちがいではありませんか" : "");
    }
    for (size_t i = 0; i < b->layout->nmeta; i++) {
        const FieldSpec *m = &b->layout->meta[i];
        const MetaEntry *e = document_meta(doc, m->key);
        if (!e || !*e->value) {
            if (m->required)
                diag_error(b->d, file, 1, 1, "前付けに `%s` がありません%s%s", m->key, m->hint ? ": " : "",
                           m->hint ? m->hint : "");
        } else if (m->pattern && !matches(b, m->pattern, e->value) && !b->pattern_failed) {
            diag_error(b->d, file, e->pos.line, e->pos.col, "前付けの `%s: %s` は正しくありません。書き方: %s", m->key,
                       e->value, m->hint ? m->hint : m->pattern_src);
        }
    }
}

int bind_document(const Document *doc, const Layout *layout, Node **out, Diag *d)
{
    size_t before = d->errors;
    Binder b = {doc, layout, d, 0};
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
