/* Fonts by role (fonts/fonts.yaml), read with FreeType for advances and
 * glyph coverage. Advances are in 1/1000 em with the same integer
 * truncation as the PDF's /W array (pdffont.h; libharu's, which made /W
 * before), so what fits in our layout fits in every viewer. */
#ifndef POLICYGEN_FONTS_H
#define POLICYGEN_FONTS_H

#include <stdint.h>
#include "diag.h"

typedef struct FontSet FontSet;

/* Load the manifest (role -> file, sha256) and open every font it names,
 * and read the output intent's ICC profile if it names one. */
FontSet *fontset_load(const char *manifest_path, Diag *d);
void fontset_free(FontSet *fs);

int fontset_count(const FontSet *fs);
/* Index of a role ("mincho", "gothic", ...), or -1. */
int fontset_find(const FontSet *fs, const char *role);
const char *fontset_role(const FontSet *fs, int font);
const char *fontset_path(const FontSet *fs, int font);
/* The font's full name for messages ("IPAmj明朝"): in Japanese when its
 * name table has one. */
const char *fontset_name(const FontSet *fs, int font);

/* The colour profiles of the PDF/A OutputIntent: the manifest's reserved
 * key `output_intent:` (one profile, or a list), each with file, package,
 * sha256 like a font, and the output condition it stands for; read once
 * with the fonts because they are the same for every document. Each is
 * checked to be what ISO 19005-2 6.2.3 allows (an ICC profile before
 * version 5, of a monitor or printer, in gray, RGB or CMYK); their hashes
 * are checked by the build, like the fonts'. A document takes the first
 * that holds every colour space it draws in (fontset_output_profile): a
 * document in grays only needs no RGB profile (7 KB) where a gray one
 * (0.4 KB) describes it, and one with colours gets the RGB one. */
typedef struct {
    const char *path;
    const char *condition;    /* OutputConditionIdentifier: "sRGB IEC61966-2.1" */
    const unsigned char *icc; /* the profile's bytes */
    size_t len;
    int components;           /* its /N: 1 gray, 3 RGB, 4 CMYK */
} OutputProfile;

/* The device colour spaces a document draws in (DeviceGray, DeviceRGB,
 * DeviceCMYK): what an output intent's profile must hold (ISO 19005-2
 * 6.2.4.3). A gray profile holds gray only; an RGB or CMYK one also gray. */
enum { COLOUR_GRAY = 1, COLOUR_RGB = 2, COLOUR_CMYK = 4 };

/* The first profile of the manifest that holds every colour space of
 * `colours`, or NULL: when it names none (the PDFs are then not PDF/A: see
 * conform.h), or none holds them. */
const OutputProfile *fontset_output_profile(const FontSet *fs, unsigned colours);

/* Where the manifest names its output intents, for messages: the
 * manifest's path (NULL when it names none) and the line and column of
 * its `output_intent:`. */
const char *fontset_output_intent_place(const FontSet *fs, int *line, int *col);

/* The manifest's profiles in its order (*n of them; NULL, 0 when none):
 * what every document's PDF depends on. */
const OutputProfile *fontset_output_profiles(const FontSet *fs, size_t *n);

/* The font's ascender in em: where a line's baseline sits below its top. */
double font_ascent(const FontSet *fs, int font);

/* Advance of cp in 1/1000 em (the /W truncation), or -1 when the font
 * has no glyph for it, or FONT_GLYPH_BROKEN when it has one that does not
 * load (a damaged font file must not print blank glyphs). */
#define FONT_GLYPH_BROKEN (-2)
int font_advance(const FontSet *fs, int font, uint32_t cp);

/* HarfBuzz's glyph of cp in the font's cmap (hb_font_get_nominal_glyph), 0
 * for none; cached like the advance (a lookup is some 200 instructions,
 * and shaping asks for each character twice). */
uint32_t font_nominal_glyph(const FontSet *fs, int font, uint32_t cp);

/* A role is an ordered list of fonts (fonts/fonts.yaml): fontset_find gives
 * its first; font_next the one after font (its fallback), or -1. */
int font_next(const FontSet *fs, int font);
/* 1 when font is a role's second or later font. */
int font_is_fallback(const FontSet *fs, int font);
/* HarfBuzz's font over the same file, at units-per-em scale (shape.c). */
struct hb_font_t *font_hb(const FontSet *fs, int font);
unsigned font_upem(const FontSet *fs, int font);
/* Advance of glyph gid in 1/1000 em (the /W truncation), -1 for none
 * (gid 0), FONT_GLYPH_BROKEN when it does not load or has no outline: for
 * glyphs reached through shaping, not through the cmap (a variant glyph). */
int font_glyph_advance(const FontSet *fs, int font, uint32_t gid);

#endif
