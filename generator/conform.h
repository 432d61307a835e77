/* What PDF/A-2u (ISO 19005-2) and PDF/UA-1 (ISO 14289-1) ask of a file
 * apart from its logical structure (the structure tree, marked content and
 * roles are render.c's): render.c calls conform_prepare just before saving
 * and conform_stamp_id on the saved bytes.
 *
 * conform_prepare adds
 * - the XMP metadata stream of the catalog (uncompressed), made from the
 *   same DocInfo render.c writes the document information dictionary and
 *   /Lang from, so the two always agree (Title = dc:title, Author = dc:creator,
 *   Subject = dc:description, Keywords = pdf:Keywords, Creator =
 *   xmp:CreatorTool, Producer = pdf:Producer, CreationDate / ModDate =
 *   xmp:CreateDate / xmp:ModifyDate / xmp:MetadataDate, no date in either
 *   when Info has none), with pdfuaid:part 1, pdfaid:part 2 and
 *   pdfaid:conformance U, and the PDF/A extension schema that declares
 *   pdfuaid (pdfaid, dc, xmp and pdf are predefined);
 * - the OutputIntent (GTS_PDFA1) with the manifest's ICC profile. Without
 *   a profile there is none, and the XMP claims PDF/UA-1 only: a file with
 *   DeviceGray and no OutputIntent is not PDF/A (veraPDF 6.2.4.3-4);
 * - a trailer /ID of two placeholder strings.
 * conform_stamp_id then writes the MD5 of the whole final file (after
 * pdfpack.h; with the placeholders in it) into both: the identifier
 * follows from the bytes, so
 * the same input still gives the same file, and any change gives another
 * identifier. */
#ifndef POLICYGEN_CONFORM_H
#define POLICYGEN_CONFORM_H

#include <stddef.h>
#include <hpdf.h>
#include "diag.h"
#include "fonts.h"
#include "util.h"

/* What the document information says (UTF-8; NULL or "" when absent). */
typedef struct {
    const char *title, *author, *subject, *keywords;
    const char *creator, *producer; /* Info /Creator and /Producer */
    const char *lang;               /* the catalog's /Lang */
    const char *date;               /* CreationDate = ModDate, in XMP form; NULL: no date */
} DocInfo;

/* profile may be NULL. Returns 0, or -1 after reporting into d against
 * file (document information that XML cannot hold, libharu failures). */
int conform_prepare(HPDF_Doc pdf, const OutputProfile *profile, const DocInfo *info, const char *file, Diag *d);

/* Fill in the /ID placeholders of a PDF conform_prepare saw before it was
 * saved. Returns 0, or -1 when pdf has none (then it is left as it is). */
int conform_stamp_id(unsigned char *pdf, size_t len);

/* The parts, for tests. */

/* The value of an XMP property: s (UTF-8) with &, < and > escaped and CR
 * as a character reference (XML would read it as LF). Returns -1, having
 * appended nothing, when s holds a character XML 1.0 cannot (controls
 * other than TAB, LF and CR, U+FFFE, U+FFFF) or is not UTF-8. */
int conform_xml_text(StrBuf *sb, const char *s);


#endif
