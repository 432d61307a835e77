/* Shaping with HarfBuzz. See shape.h. */
#include "shape.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#include <hb.h>

struct Shaper {
    hb_buffer_t *buf;
    Shaped out;
};

Shaper *shaper_new(void)
{
    Shaper *s = xcalloc(1, sizeof *s);
    s->buf = hb_buffer_create();
    return s;
}

void shaper_free(Shaper *s)
{
    if (!s)
        return;
    hb_buffer_destroy(s->buf);
    free(s->out.adv);
    free(s->out.glyphs);
    free(s->out.issues);
    free(s);
}

int shape_is_selector(uint32_t cp)
{
    return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
}

int shape_is_continuation(uint32_t cp)
{
    if (shape_is_selector(cp))
        return 1;
    if (cp < 0x300) /* ASCII and Latin-1: never a mark (the common case, no lookup) */
        return 0;
    if (cp >= 0x3040 && cp <= 0x9FFF && cp != 0x3099 && cp != 0x309A)
        return 0; /* kana and ideographs */
    hb_unicode_general_category_t gc = hb_unicode_general_category(hb_unicode_funcs_get_default(), cp);
    return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK || gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK;
}

size_t shape_clean(uint32_t *cps, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        if ((c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF || c == 0xAD)
            continue;
        cps[k++] = c == '\t' ? ' ' : c;
    }
    return k;
}

static void issue(Shaped *o, ShapeIssueKind kind, size_t at, size_t len, int font)
{
    GROW(o->issues, o->icap, o->nissues + 1);
    o->issues[o->nissues++] = (ShapeIssue){kind, at, len, font};
}

static int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0;
}

/* Was something said of the cluster at `at` already (a character missing
 * from every font is said once, not again for its notdef glyph)? Issues
 * are few: a scan. */
static int has_issue(const Shaped *o, size_t at)
{
    for (size_t k = 0; k < o->nissues; k++)
        if (o->issues[k].at == at)
            return 1;
    return 0;
}

/* Does font have the cluster cps[at, end) whole? */
static int covers(const FontSet *fs, int font, const uint32_t *cps, size_t at, size_t end, int use_selector)
{
    hb_font_t *hf = font_hb(fs, font);
    hb_codepoint_t g;
    if (font_nominal_glyph(fs, font, cps[at]) == 0)
        return 0;
    int selected = 0; /* only the first selector counts (a second is reported) */
    for (size_t k = at + 1; k < end; k++) {
        if (shape_is_selector(cps[k])) {
            if (use_selector && !selected && (!hb_font_get_variation_glyph(hf, cps[at], cps[k], &g) || g == 0))
                return 0;
            selected = 1;
        } else if (font_nominal_glyph(fs, font, cps[k]) == 0) {
            return 0;
        }
    }
    return 1;
}

/* The features shaping runs with: what changes advances or merges
 * characters is off, so a cluster is as wide as the PDF says. */
static const hb_feature_t features[] = {
    {HB_TAG('k', 'e', 'r', 'n'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
    {HB_TAG('l', 'i', 'g', 'a'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
    {HB_TAG('c', 'l', 'i', 'g'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
    {HB_TAG('c', 'a', 'l', 't'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
    {HB_TAG('p', 'a', 'l', 't'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
};

/* Shape b's characters in font as every paragraph is shaped: Japanese, the
 * features above. */
static void shape_buffer(const FontSet *fs, int font, hb_buffer_t *b)
{
    hb_buffer_set_content_type(b, HB_BUFFER_CONTENT_TYPE_UNICODE);
    hb_buffer_set_direction(b, HB_DIRECTION_LTR);
    hb_buffer_set_language(b, hb_language_from_string("ja", 2));
    hb_buffer_guess_segment_properties(b); /* the script */
    hb_shape(font_hb(fs, font), b, features, sizeof features / sizeof features[0]);
}

void shape_warm(const FontSet *fs, int font)
{
    hb_buffer_t *b = hb_buffer_create();
    hb_buffer_add(b, 0x3042, 0); /* あ */
    shape_buffer(fs, font, b);
    hb_buffer_destroy(b);
}

/* Shape cps[from, to) (whole clusters, all in font; drop[k] set: a
 * selector no font maps, left out) and append the glyphs. */
static void shape_run(Shaper *s, const FontSet *fs, int font, const uint32_t *cps, size_t from, size_t to,
                      const unsigned char *drop)
{
    Shaped *o = &s->out;
    hb_buffer_t *b = s->buf;
    hb_buffer_clear_contents(b);
    for (size_t k = from; k < to; k++)
        if (cps[k] != '\n' && !(drop && drop[k]))
            hb_buffer_add(b, cps[k], (unsigned)k);
    if (hb_buffer_get_length(b) == 0)
        return;
    shape_buffer(fs, font, b);
    unsigned len;
    hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &len);
    GROW(o->glyphs, o->gcap, o->nglyphs + len);
    for (unsigned i = 0; i < len; i++)
        o->glyphs[o->nglyphs++] = (ShapedGlyph){info[i].codepoint, font, info[i].cluster};
}

const Shaped *shape_paragraph(Shaper *s, const FontSet *fs, int font, const uint32_t *cps, size_t n)
{
    Shaped *o = &s->out;
    GROW(o->adv, o->acap, n + 1);
    o->cps = cps;
    o->n = n;
    o->nglyphs = 0;
    o->nissues = 0;
    o->plain = 1;
    /* Which font each cluster takes; runs of one font are shaped together. */
    int run_font = font;
    size_t run_start = 0;
    unsigned char *drop = NULL; /* selectors left out (rare: allocated on need) */
    for (size_t i = 0; i < n;) {
        size_t end = i + 1;
        while (end < n && shape_is_continuation(cps[end]))
            end++;
        for (size_t k = i; k < end; k++)
            o->adv[k] = 0;
        int use = font;
        /* After a space there is nothing for a selector or mark to attach
         * to: as at the start, it is stray (and the space is a cluster of
         * its own). */
        size_t from = shape_is_continuation(cps[i]) ? i : end > i + 1 && is_space(cps[i]) ? i + 1 : end;
        if (from < end) {
            issue(o, SHAPE_STRAY, from, end - from, font);
            o->plain = 0;
            if (!drop)
                drop = xcalloc(n, 1);
            memset(drop + from, 1, end - from); /* nothing to shape: it is reported */
        }
        if (from == i) {
            /* all of it stray */
        } else if (cps[i] != '\n') {
            size_t all = end;
            end = from; /* the cluster without what is stray */
            int has_selector = 0;
            for (size_t k = i + 1; k < end; k++) {
                if (shape_is_selector(cps[k]) && has_selector) { /* a second one: only the first is read */
                    if (!drop)
                        drop = xcalloc(n, 1);
                    drop[k] = 1;
                    if (!o->nissues || o->issues[o->nissues - 1].kind != SHAPE_SELECTORS ||
                        o->issues[o->nissues - 1].at != i)
                        issue(o, SHAPE_SELECTORS, i, end - i, font);
                }
                has_selector |= shape_is_selector(cps[k]);
            }
            use = -1;
            for (int f = font; f >= 0 && use < 0; f = font_next(fs, f))
                if (covers(fs, f, cps, i, end, 1))
                    use = f;
            if (use < 0 && has_selector) {
                /* No font maps the sequence: its base, where there is one. */
                for (int f = font; f >= 0 && use < 0; f = font_next(fs, f))
                    if (covers(fs, f, cps, i, end, 0))
                        use = f;
                if (use >= 0) {
                    issue(o, SHAPE_NO_VARIANT, i, end - i, use);
                    if (!drop)
                        drop = xcalloc(n, 1);
                    for (size_t k = i + 1; k < end; k++)
                        drop[k] = (unsigned char)shape_is_selector(cps[k]);
                }
            }
            if (use < 0) {
                issue(o, SHAPE_MISSING, i, end - i, font);
                use = font;
            } else if (use != font) {
                issue(o, SHAPE_FALLBACK, i, end - i, use);
            }
            if (use != font || end - i > 1 || cps[i] > 0xFFFF)
                o->plain = 0;
            end = all;
        }
        if (use != run_font) {
            shape_run(s, fs, run_font, cps, run_start, i, drop);
            run_font = use;
            run_start = i;
        }
        i = end;
    }
    shape_run(s, fs, run_font, cps, run_start, n, drop);
    free(drop);

    /* Advances: a glyph that is its character's own (cmap) glyph takes the
     * cached advance of the character; any other (a variant, a glyph of a
     * shaped sequence) is measured by its glyph index. */
    for (size_t g = 0; g < o->nglyphs; g++) {
        ShapedGlyph *sg = &o->glyphs[g];
        uint32_t c = sg->cluster;
        uint32_t nominal = font_nominal_glyph(fs, sg->font, cps[c]);
        int a;
        if (sg->gid == 0) {
            a = -1;
        } else if (sg->gid == nominal) {
            a = font_advance(fs, sg->font, cps[c]);
        } else {
            a = font_glyph_advance(fs, sg->font, sg->gid);
            o->plain = 0;
        }
        if (a == FONT_GLYPH_BROKEN) {
            issue(o, SHAPE_BROKEN, c, 1, sg->font);
            a = 1000;
        } else if (a < 0) {
            if (sg->gid == 0 && !has_issue(o, c))
                issue(o, SHAPE_MISSING, c, 1, sg->font);
            a = 1000; /* reported: the width of an ideograph keeps wrapping sane */
        }
        o->adv[c] += a;
    }
    /* A missing character (no glyph at all, or notdef) still takes room. */
    for (size_t k = 0; k < o->nissues; k++)
        if (o->issues[k].kind == SHAPE_MISSING && o->adv[o->issues[k].at] == 0)
            o->adv[o->issues[k].at] = 1000;
    return o;
}
