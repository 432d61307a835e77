/* Font manifest (libyaml) and metrics (FreeType). See fonts.h. */
#include "fonts.h"
#include "bigendian.h"
#include "source.h"
#include "util.h"
#include "yamlread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include <hb.h>
#include <hb-ot.h>

/* Advance cache: a two-level table over all of Unicode, pages of 256 code
 * points allocated on first use. A Japanese document touches a few dozen
 * pages, so this stays around 50 KiB per font. */
#define CP_LIMIT 0x110000u
#define PAGE_SHIFT 8
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define NPAGES (CP_LIMIT >> PAGE_SHIFT)
#define ADV_UNKNOWN INT32_MIN
#define GID_UNKNOWN UINT32_MAX

/* What is cached of a character in a font: asked once per process. */
typedef struct {
    int32_t adv;  /* font_advance, ADV_UNKNOWN until asked */
    uint32_t gid; /* font_nominal_glyph, GID_UNKNOWN until asked */
} CharSlot;

typedef struct {
    char *role;
    char *path;
    char *name;      /* the font's full name, in Japanese when it has one (messages) */
    FT_Face face;
    void *map;       /* the font file, mapped read-only (FreeType reads it from memory) */
    size_t map_len;
    CharSlot **pages; /* NPAGES entries; a cache only, so font_advance and
                         font_nominal_glyph stay logically const (and are
                         not thread-safe) */
    int next;        /* the role's next font (its fallback), or -1 */
    int fallback;    /* 1 for the second and later fonts of a role */
    int owner;       /* the earlier entry whose file (map, face) this shares, or -1 */
    hb_face_t *hb_face; /* HarfBuzz's view of the same bytes (shape.c) */
    hb_font_t *hb_font; /* at units-per-em scale: advances in font units */
} Font;

struct FontSet {
    FT_Library lib;
    Font *fonts;
    int n;
    size_t cap;
    OutputProfile *profiles; /* their strings and bytes owned here */
    size_t nprofiles;
    char *intent_file; /* the manifest naming them, and where (messages) */
    Pos intent_at;
};

/* The manifest key of the output intent's profile (no font role). */
#define OUTPUT_INTENT_KEY "output_intent"

/* ---- manifest ---------------------------------------------------------- */

typedef struct {
    const char *manifest;
    YamlDoc *doc;
    Diag *d;
    int errors;
} Manifest;

#define MERR(m, node, ...)                                                              \
    do {                                                                                \
        Pos at_ = yaml_node_pos((m)->doc, (node));                                      \
        diag_error((m)->d, (m)->manifest, at_.line, at_.col, __VA_ARGS__);              \
        (m)->errors++;                                                                  \
    } while (0)

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int valid_role(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int valid_sha256(const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == 64;
}

/* A relative font path is relative to the manifest's folder, so the
 * manifest can travel with its fonts. */
static char *resolve_path(const char *manifest, const char *file)
{
    const char *slash = strrchr(manifest, '/');
    if (file[0] == '/' || !slash)
        return xstrdup(file);
    StrBuf sb = {0};
    sb_append(&sb, manifest, (size_t)(slash - manifest) + 1);
    sb_puts(&sb, file);
    return sb_take(&sb);
}

/* FreeType's documented way to get its error messages as a table
 * (FT_Error_String is NULL in Debian's build). */
#undef FTERRORS_H_
#define FT_ERRORDEF(e, v, s) {e, s},
#define FT_ERROR_START_LIST {
#define FT_ERROR_END_LIST {0, NULL}};
static const struct {
    int code;
    const char *msg;
} ft_errors[] =
#include FT_ERRORS_H

static const char *ft_error_text(FT_Error e)
{
    for (size_t i = 0; ft_errors[i].msg; i++)
        if (ft_errors[i].code == e)
            return ft_errors[i].msg;
    return "FreeType error";
}

/* Open the font for one role and check that it can be embedded: a
 * CIDFontType2 holds TrueType outlines (glyf), and the typesetter reads
 * characters through a (3,1) Unicode cmap. */
static void add_font(FontSet *fs, const char *role, char *path, FT_Face face, void *map, size_t len, int owner)
{
    GROW(fs->fonts, fs->cap, (size_t)fs->n + 1);
    Font *f = &fs->fonts[fs->n++];
    f->role = xstrdup(role);
    f->path = path;
    f->face = face;
    f->map = map;
    f->map_len = len;
    f->pages = xcalloc(NPAGES, sizeof *f->pages);
    f->next = -1;
    f->fallback = 0;
    f->owner = owner;
    if (owner >= 0) {
        f->hb_face = hb_face_reference(fs->fonts[owner].hb_face);
    } else {
        /* The mapped file, not copied: HarfBuzz reads it in place. */
        hb_blob_t *blob = hb_blob_create((const char *)map, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
        f->hb_face = hb_face_create(blob, 0);
        hb_blob_destroy(blob);
    }
    f->hb_font = hb_font_create(f->hb_face); /* scale = units per em */
    char name[128];
    unsigned nlen = sizeof name;
    if (!hb_ot_name_get_utf8(f->hb_face, HB_OT_NAME_ID_FULL_NAME, hb_language_from_string("ja", -1), &nlen, name)) {
        nlen = sizeof name;
        if (!hb_ot_name_get_utf8(f->hb_face, HB_OT_NAME_ID_FULL_NAME, HB_LANGUAGE_INVALID, &nlen, name))
            snprintf(name, sizeof name, "%s", path);
    }
    f->name = xstrdup(name);
}

static void open_font(FontSet *fs, Manifest *m, yaml_node_t *file_node, const char *role,
                      const char *file)
{
    char *path = resolve_path(m->manifest, file);
    /* A file listed again (IPAmj明朝 behind both mincho and gothic) is
     * opened once. */
    for (int i = 0; i < fs->n; i++)
        if (fs->fonts[i].owner < 0 && strcmp(fs->fonts[i].path, path) == 0) {
            add_font(fs, role, path, fs->fonts[i].face, fs->fonts[i].map, fs->fonts[i].map_len, i);
            return;
        }
    struct stat st;
    if (stat(path, &st) != 0) {
        MERR(m, file_node, "font for '%s': cannot open %s: %s", role, path, strerror(errno));
        free(path);
        return;
    }
    if (!S_ISREG(st.st_mode)) { /* FreeType would block on a FIFO */
        MERR(m, file_node, "font for '%s': %s is not a regular file", role, path);
        free(path);
        return;
    }
    /* Mapped, not read: FreeType would otherwise seek and read the file in
     * small pieces (some 1,300 system calls per document). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    void *map = fd >= 0 && st.st_size > 0 ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    if (fd >= 0)
        close(fd);
    if (map == MAP_FAILED) {
        MERR(m, file_node, "font for '%s': cannot read %s: %s", role, path, st.st_size ? strerror(errno) : "empty file");
        free(path);
        return;
    }
    FT_Face face = NULL;
    FT_Error e = FT_New_Memory_Face(fs->lib, map, (FT_Long)st.st_size, 0, &face);
    if (e) {
        MERR(m, file_node, "font for '%s': %s is not a font FreeType can read (%s, code %d)",
             role, path, ft_error_text(e), e);
        munmap(map, (size_t)st.st_size);
        free(path);
        return;
    }
    FT_ULong glyf_len = 0;
    int has_31 = 0;
    for (int i = 0; i < face->num_charmaps; i++)
        if (face->charmaps[i]->platform_id == 3 && face->charmaps[i]->encoding_id == 1)
            has_31 = 1;
    const char *problem = NULL;
    if (!FT_IS_SFNT(face) || FT_Load_Sfnt_Table(face, TTAG_glyf, 0, NULL, &glyf_len) || glyf_len == 0)
        problem = "has no TrueType outlines (glyf table); CFF/OpenType-PS fonts cannot be embedded";
    else if (!has_31 || FT_Select_Charmap(face, FT_ENCODING_UNICODE))
        problem = "has no Windows Unicode (3,1) cmap, which the typesetter reads";
    else if (face->units_per_EM == 0)
        problem = "has unitsPerEm 0";
    if (problem) {
        MERR(m, file_node, "font for '%s': %s %s", role, path, problem);
        FT_Done_Face(face);
        munmap(map, (size_t)st.st_size);
        free(path);
        return;
    }
    add_font(fs, role, path, face, map, (size_t)st.st_size, -1);
}

/* Why the bytes are not a profile a PDF/A OutputIntent may hold (ISO
 * 19005-2 6.2.3, veraPDF 6.2.3-1), or NULL; *components gets its /N. */
static const char *icc_problem(const unsigned char *b, size_t len, int *components)
{
    if (len < 132 || memcmp(b + 36, "acsp", 4) != 0)
        return "is not an ICC profile (no 'acsp' signature)";
    if (rd32(b) != len)
        return "is damaged: its header gives another size than the file's";
    if (b[8] >= 5)
        return "is an ICC version 5 (iccMAX) profile; PDF/A-2 needs version 4 or earlier";
    if (memcmp(b + 12, "mntr", 4) != 0 && memcmp(b + 12, "prtr", 4) != 0)
        return "is neither a monitor ('mntr') nor a printer ('prtr') profile";
    if (memcmp(b + 16, "GRAY", 4) == 0)
        *components = 1;
    else if (memcmp(b + 16, "RGB ", 4) == 0)
        *components = 3;
    else if (memcmp(b + 16, "CMYK", 4) == 0)
        *components = 4;
    else
        return "is not in a gray, RGB or CMYK colour space";
    /* The tags that make it a profile and not a header (ICC.1 9.2): a
     * white point, and the colour space's transform, as curves (gray; RGB
     * with its colorants) or a lookup table (any). */
    uint32_t count = rd32(b + 128);
    if (count == 0 || count > (len - 132) / 12)
        return "has no tag table (a header alone is no profile)";
    unsigned has = 0;
    static const char *const tags[] = {"wtpt", "A2B0", "kTRC", "rXYZ", "gXYZ", "bXYZ", "rTRC", "gTRC", "bTRC"};
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *t = b + 132 + 12 * i;
        uint32_t off = rd32(t + 4), size = rd32(t + 8);
        if (off > len || size > len - off)
            return "has a tag past its end (damaged)";
        for (unsigned k = 0; k < sizeof tags / sizeof tags[0]; k++)
            if (memcmp(t, tags[k], 4) == 0)
                has |= 1u << k;
    }
    unsigned rgb_curves = 0x1F8u; /* rXYZ gXYZ bXYZ rTRC gTRC bTRC */
    int transform = (has & 2u) || (*components == 1 && (has & 4u)) ||
                    (*components == 3 && (has & rgb_curves) == rgb_curves);
    if (!(has & 1u) || !transform)
        return *components == 1 ? "lacks the tags of a gray profile (wtpt, and kTRC or A2B0)"
               : *components == 3 ? "lacks the tags of an RGB profile (wtpt, and the rXYZ..bTRC curves or A2B0)"
                                  : "lacks the tags of a CMYK profile (wtpt and A2B0)";
    return NULL;
}

/* The entries of a manifest mapping: got[i] is the value of keys[i] (a
 * non-empty string), or NULL. `what` prefixes the messages ("font role
 * 'mincho'"); keys appear once (the YAML reader refuses a repeated key). */
static void read_entries(Manifest *m, yaml_node_t *map, const char *what, const char *const *keys, size_t nkeys,
                         yaml_node_t **got)
{
    for (size_t i = 0; i < nkeys; i++)
        got[i] = NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_node(m->doc, p->key);
        yaml_node_t *v = yaml_node(m->doc, p->value);
        const char *ks = scalar(k);
        size_t i = 0;
        while (i < nkeys && !(ks && strcmp(ks, keys[i]) == 0))
            i++;
        if (i == nkeys) {
            StrBuf list = {0};
            for (size_t j = 0; j < nkeys; j++)
                sb_printf(&list, "%s%s", j ? ", " : "", keys[j]);
            MERR(m, k, "%s: unknown key '%s' (expected %s)", what, ks ? ks : "?", list.data);
            sb_free(&list);
        } else if (!scalar(v) || !*scalar(v)) {
            MERR(m, v, "%s: '%s' must be a non-empty string", what, ks);
        } else {
            got[i] = v;
        }
    }
}

/* The colour spaces a profile of this many components holds. */
static unsigned profile_holds(int components)
{
    return components == 1 ? COLOUR_GRAY : components == 3 ? COLOUR_GRAY | COLOUR_RGB : COLOUR_GRAY | COLOUR_CMYK;
}

/* One profile of output_intent: {file, package, sha256, condition}. */
static void load_profile(FontSet *fs, Manifest *m, yaml_node_t *val)
{
    if (val->type != YAML_MAPPING_NODE) {
        MERR(m, val, "output_intent: expected 'file:', 'sha256:' and 'condition:' entries");
        return;
    }
    static const char *const keys[] = {"file", "package", "sha256", "condition"};
    yaml_node_t *got[4];
    int before = m->errors;
    read_entries(m, val, "output_intent", keys, 4, got);
    /* A missing key is said at the profile's own entry (the list's
     * second, say). */
    if (!got[0])
        MERR(m, val, "output_intent: missing 'file:'");
    if (!got[2])
        MERR(m, val, "output_intent: missing 'sha256:' (pin the profile file)");
    else if (!valid_sha256(scalar(got[2])))
        MERR(m, got[2], "output_intent: sha256 must be 64 lower-case hex digits");
    if (!got[3])
        MERR(m, val, "output_intent: missing 'condition:' (the output condition, e.g. sRGB IEC61966-2.1)");
    if (m->errors != before)
        return;
    char *path = resolve_path(m->manifest, scalar(got[0]));
    /* Said at the manifest's line, like a font's file (the file reader's
     * own messages name only the file). A profile is a few KB (sRGB.icc:
     * 6922 bytes), far below the limit of every input. */
    struct stat st;
    int found = stat(path, &st) == 0, err = errno;
    if (!found || !S_ISREG(st.st_mode) || (size_t)st.st_size > SOURCE_MAX_BYTES) {
        if (!found)
            MERR(m, got[0], "output_intent: cannot open %s: %s", path, strerror(err));
        else if (!S_ISREG(st.st_mode))
            MERR(m, got[0], "output_intent: %s is not a regular file", path);
        else
            MERR(m, got[0], "output_intent: %s is %lld bytes; a profile is read up to %d (an output intent's is a few KB)",
                 path, (long long)st.st_size, SOURCE_MAX_BYTES);
        free(path);
        return;
    }
    size_t len = 0;
    Diag scratch;
    diag_init(&scratch);
    unsigned char *icc = (unsigned char *)source_slurp(path, SOURCE_MAX_BYTES, &len, &scratch);
    if (!icc)
        MERR(m, got[0], "output_intent: cannot read %s: %s", path, scratch.n ? scratch.entries[0].msg : "?");
    diag_free(&scratch);
    int components = 0;
    const char *problem = icc ? icc_problem(icc, len, &components) : NULL;
    /* A profile holding no more than one before it would never be taken. */
    const OutputProfile *shadow = NULL;
    for (size_t i = 0; icc && !problem && !shadow && i < fs->nprofiles; i++)
        if ((profile_holds(components) & ~profile_holds(fs->profiles[i].components)) == 0)
            shadow = &fs->profiles[i];
    if (!icc || problem || shadow) {
        if (problem)
            MERR(m, got[0], "output_intent: %s %s", path, problem);
        else if (shadow)
            MERR(m, got[0], "output_intent: %s is never used: %s before it holds every colour it does "
                 "(list the profiles from the fewest colours to the most: gray, then RGB)", path, shadow->path);
        /* else: cannot read, reported above */
        free(icc);
        free(path);
        return;
    }
    fs->profiles = xrealloc(fs->profiles, (fs->nprofiles + 1) * sizeof *fs->profiles);
    fs->profiles[fs->nprofiles++] =
        (OutputProfile){path, xstrdup(scalar(got[3])), icc, len, components};
}

/* output_intent: one profile, or a list of them (fontset_output_profile). */
static void load_output_intent(FontSet *fs, Manifest *m, yaml_node_t *key, yaml_node_t *val)
{
    free(fs->intent_file);
    fs->intent_file = xstrdup(m->manifest);
    fs->intent_at = yaml_node_pos(m->doc, key);
    if (val->type != YAML_SEQUENCE_NODE) {
        load_profile(fs, m, val);
        return;
    }
    if (val->data.sequence.items.start == val->data.sequence.items.top)
        MERR(m, val, "output_intent: the list is empty (name a profile, or leave the key out)");
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++)
        load_profile(fs, m, yaml_node(m->doc, *it));
}

/* One font of a role: {file, package, sha256}. */
static void load_entry(FontSet *fs, Manifest *m, yaml_node_t *key, yaml_node_t *val, const char *role, size_t nth)
{
    StrBuf what = {0};
    if (nth)
        sb_printf(&what, "font role '%s', font %zu", role, nth);
    else
        sb_printf(&what, "font role '%s'", role);
    if (val->type != YAML_MAPPING_NODE) {
        MERR(m, val, "%s: expected 'file:' and 'sha256:' entries", what.data);
        sb_free(&what);
        return;
    }
    static const char *const keys[] = {"file", "package", "sha256"};
    yaml_node_t *got[3];
    int before = m->errors;
    read_entries(m, val, what.data, keys, 3, got);
    yaml_node_t *file = got[0], *sha = got[2];
    if (!file)
        MERR(m, nth ? val : key, "%s: missing 'file:'", what.data);
    /* The hash is checked by the build (sha256sum), not here: hashing
     * megabytes of fonts at every run buys nothing. It must be present and
     * well-formed so the pin cannot silently go missing. */
    if (!sha)
        MERR(m, nth ? val : key, "%s: missing 'sha256:' (pin the font file)", what.data);
    else if (!valid_sha256(scalar(sha)))
        MERR(m, sha, "%s: sha256 must be 64 lower-case hex digits", what.data);
    sb_free(&what);
    if (m->errors == before)
        open_font(fs, m, file, role, scalar(file));
}

/* A role: one font (a mapping), or an ordered list of them, the first the
 * role's own font and each later one the fallback for characters the ones
 * before it lack (docs/content-format.md). */
static void load_role(FontSet *fs, Manifest *m, yaml_node_t *key, yaml_node_t *val)
{
    const char *role = scalar(key);
    if (!role) {
        MERR(m, key, "font role must be a plain name");
        return;
    }
    if (!valid_role(role)) {
        MERR(m, key, "font role '%s': use lower-case letters, digits, '_' or '-'", role);
        return;
    }
    if (fontset_find(fs, role) >= 0) {
        MERR(m, key, "font role '%s' is listed twice", role);
        return;
    }
    if (val->type != YAML_SEQUENCE_NODE) {
        load_entry(fs, m, key, val, role, 0);
        return;
    }
    int first = fs->n, before = m->errors;
    size_t nth = 0;
    for (yaml_node_item_t *it = val->data.sequence.items.start; it < val->data.sequence.items.top; it++)
        load_entry(fs, m, key, yaml_node(m->doc, *it), role, ++nth);
    if (nth == 0)
        MERR(m, val, "font role '%s': the list of fonts is empty", role);
    if (m->errors != before)
        return;
    for (int i = first; i < fs->n; i++) {
        fs->fonts[i].next = i + 1 < fs->n ? i + 1 : -1;
        fs->fonts[i].fallback = i > first;
    }
}

FontSet *fontset_load(const char *manifest_path, Diag *d)
{
    Source src;
    if (source_read(&src, manifest_path, d) != 0) {
        source_free(&src);
        return NULL;
    }
    YamlDoc doc;
    int ok = yaml_read(&doc, &src, 0, src.len, 1, &YAML_FONT_MANIFEST, d) == 0;
    source_free(&src);
    if (!ok)
        return NULL;
    FontSet *fs = xcalloc(1, sizeof *fs);
    FT_Error fe = FT_Init_FreeType(&fs->lib);
    if (fe) {
        diag_error(d, manifest_path, 0, 0, "cannot start FreeType (%s)", ft_error_text(fe));
        yaml_doc_free(&doc);
        free(fs);
        return NULL;
    }
    Manifest m = {manifest_path, &doc, d, 0};
    yaml_node_t *root = yaml_root(&doc);
    if (!root) {
        diag_error(d, manifest_path, 0, 0, "font manifest is empty");
        m.errors++;
    } else if (root->type != YAML_MAPPING_NODE) {
        MERR(&m, root, "font manifest must map role names to fonts");
    } else {
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_node(&doc, p->key), *v = yaml_node(&doc, p->value);
            if (scalar(k) && strcmp(scalar(k), OUTPUT_INTENT_KEY) == 0)
                load_output_intent(fs, &m, k, v);
            else
                load_role(fs, &m, k, v);
        }
        if (fs->n == 0 && m.errors == 0)
            MERR(&m, root, "font manifest lists no fonts");
    }
    yaml_doc_free(&doc);
    if (m.errors) {
        fontset_free(fs);
        return NULL;
    }
    return fs;
}

void fontset_free(FontSet *fs)
{
    if (!fs)
        return;
    for (int i = 0; i < fs->n; i++) {
        Font *f = &fs->fonts[i];
        for (size_t k = 0; k < NPAGES; k++)
            free(f->pages[k]);
        free(f->pages);
        hb_font_destroy(f->hb_font);
        hb_face_destroy(f->hb_face);
        if (f->owner < 0) {
            FT_Done_Face(f->face);
            munmap(f->map, f->map_len);
        }
        free(f->role);
        free(f->name);
        free(f->path);
    }
    free(fs->fonts);
    for (size_t i = 0; i < fs->nprofiles; i++) {
        free((char *)fs->profiles[i].path);
        free((char *)fs->profiles[i].condition);
        free((unsigned char *)fs->profiles[i].icc);
    }
    free(fs->profiles);
    free(fs->intent_file);
    if (fs->lib)
        FT_Done_FreeType(fs->lib);
    free(fs);
}

int fontset_count(const FontSet *fs)
{
    return fs ? fs->n : 0;
}

int fontset_find(const FontSet *fs, const char *role)
{
    for (int i = 0; fs && i < fs->n; i++)
        if (!fs->fonts[i].fallback && strcmp(fs->fonts[i].role, role) == 0)
            return i;
    return -1;
}

const char *fontset_role(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].role : NULL;
}

const char *fontset_name(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].name : NULL;
}

const char *fontset_path(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].path : NULL;
}

const OutputProfile *fontset_output_profile(const FontSet *fs, unsigned colours)
{
    for (size_t i = 0; fs && i < fs->nprofiles; i++)
        if ((colours & ~profile_holds(fs->profiles[i].components)) == 0)
            return &fs->profiles[i];
    return NULL;
}

const char *fontset_output_intent_place(const FontSet *fs, int *line, int *col)
{
    *line = fs && fs->intent_file ? fs->intent_at.line : 0;
    *col = fs && fs->intent_file ? fs->intent_at.col : 0;
    return fs ? fs->intent_file : NULL;
}

const OutputProfile *fontset_output_profiles(const FontSet *fs, size_t *n)
{
    *n = fs ? fs->nprofiles : 0;
    return *n ? fs->profiles : NULL;
}

/* ---- metrics ----------------------------------------------------------- */

double font_ascent(const FontSet *fs, int font)
{
    if (!fs || font < 0 || font >= fs->n)
        return 0.88;
    FT_Face f = fs->fonts[font].face;
    return (double)f->ascender / f->units_per_EM;
}

/* Glyph gid's width in 1/1000 em (the /W truncation), or FONT_GLYPH_BROKEN
 * when its advance or its outline does not load, or it has no outline
 * though it must print ink (inked): a damaged glyf table would otherwise be
 * embedded and print nothing. */
static int32_t glyph_width(FT_Face face, uint32_t gid, int inked)
{
    /* FT_Get_Advance with NO_SCALE reads hmtx directly (no outline load):
     * the raw advanceWidth in font units, exactly what the PDF's /W says. */
    FT_Fixed adv = 0;
    if (gid >= (uint32_t)face->num_glyphs || FT_Get_Advance(face, gid, FT_LOAD_NO_SCALE, &adv) || adv < 0)
        return FONT_GLYPH_BROKEN;
    if (FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP))
        return FONT_GLYPH_BROKEN;
    if (inked && face->glyph->format == FT_GLYPH_FORMAT_OUTLINE && face->glyph->outline.n_contours <= 0)
        return FONT_GLYPH_BROKEN;
    /* As libharu 2.3.0 computed /W (HPDF_TTFontDef_GetGidWidth):
     * advance_width * 1000 / units_per_em, truncated. */
    return (int32_t)((unsigned long)adv * 1000UL / face->units_per_EM);
}

/* cp's width, or -1 when the font has none. Its outline is loaded once per
 * character and process; an empty one for 部 is a damaged font, not a
 * design (spaces and format characters have none: cp_invisible). */
static int32_t compute_advance(FT_Face face, uint32_t cp)
{
    FT_UInt gid = FT_Get_Char_Index(face, cp);
    return gid ? glyph_width(face, gid, !cp_invisible(cp)) : -1;
}

/* cp's slot in font's cache (made when its page is new), or NULL. */
static CharSlot *char_slot(const FontSet *fs, int font, uint32_t cp)
{
    if (!fs || font < 0 || font >= fs->n || cp >= CP_LIMIT)
        return NULL;
    Font *f = &fs->fonts[font];
    CharSlot *page = f->pages[cp >> PAGE_SHIFT];
    if (!page) {
        page = xmalloc(PAGE_SIZE * sizeof *page);
        for (size_t i = 0; i < PAGE_SIZE; i++)
            page[i] = (CharSlot){ADV_UNKNOWN, GID_UNKNOWN};
        f->pages[cp >> PAGE_SHIFT] = page;
    }
    return &page[cp & (PAGE_SIZE - 1)];
}

int font_advance(const FontSet *fs, int font, uint32_t cp)
{
    CharSlot *slot = char_slot(fs, font, cp);
    if (!slot)
        return -1;
    if (slot->adv == ADV_UNKNOWN)
        slot->adv = compute_advance(fs->fonts[font].face, cp);
    return (int)slot->adv;
}

uint32_t font_nominal_glyph(const FontSet *fs, int font, uint32_t cp)
{
    CharSlot *slot = char_slot(fs, font, cp);
    if (!slot)
        return 0;
    if (slot->gid == GID_UNKNOWN) {
        hb_codepoint_t g = 0;
        slot->gid = hb_font_get_nominal_glyph(fs->fonts[font].hb_font, cp, &g) ? g : 0;
    }
    return slot->gid;
}

/* ---- the fallback chain and HarfBuzz ------------------------------------- */

int font_next(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].next : -1;
}

int font_is_fallback(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n && fs->fonts[font].fallback;
}

struct hb_font_t *font_hb(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].hb_font : NULL;
}

unsigned font_upem(const FontSet *fs, int font)
{
    return fs && font >= 0 && font < fs->n ? fs->fonts[font].face->units_per_EM : 1000;
}

int font_glyph_advance(const FontSet *fs, int font, uint32_t gid)
{
    if (!fs || font < 0 || font >= fs->n || gid == 0)
        return -1;
    return glyph_width(fs->fonts[font].face, gid, 1);
}
