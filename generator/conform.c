/* PDF/A-2u and PDF/UA-1 plumbing. See conform.h. */
#include "conform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>

#define ID_LEN 16

/* ---- XMP ------------------------------------------------------------------ */

int conform_xml_text(StrBuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    StrBuf tmp = {0};
    sb_puts(&tmp, "");
    while (n > 0) {
        uint32_t cp;
        size_t len = utf8_decode(p, n, &cp);
        if (len == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
            sb_free(&tmp);
            return -1;
        }
        if (cp == '&')
            sb_puts(&tmp, "&amp;");
        else if (cp == '<')
            sb_puts(&tmp, "&lt;");
        else if (cp == '>')
            sb_puts(&tmp, "&gt;");
        else if (cp == '\r')
            sb_puts(&tmp, "&#13;");
        else
            sb_append(&tmp, (const char *)p, len);
        p += len;
        n -= len;
    }
    sb_append(sb, tmp.data, tmp.len);
    sb_free(&tmp);
    return 0;
}

enum { M_TITLE, M_AUTHOR, M_SUBJECT, M_KEYWORDS, M_CREATOR, M_PRODUCER, M_CREATED, M_MODIFIED, M_LANG, M_COUNT };

typedef struct {
    char *v[M_COUNT]; /* UTF-8, NULL when absent; dates already in XMP form */
} Meta;

/* The document information as render.c writes it into Info: the same
 * values, so Info and XMP agree by construction. */
static void meta_from(const DocInfo *info, Meta *m)
{
    const char *v[M_COUNT] = {info->title,    info->author, info->subject, info->keywords, info->creator,
                              info->producer, info->date,   info->date,    info->lang};
    for (int i = 0; i < M_COUNT; i++)
        m->v[i] = v[i] && *v[i] ? xstrdup(v[i]) : NULL;
}

static void meta_free_all(Meta *m)
{
    for (int i = 0; i < M_COUNT; i++)
        free(m->v[i]);
}

/* <tag>value</tag> with value escaped, or with the value in an rdf:Alt
 * (x-default), Seq or Bag. Returns -1 if the value cannot be XML. */
static int xmp_prop(StrBuf *sb, const char *tag, const char *container, const char *value)
{
    if (!value)
        return 0;
    sb_printf(sb, "   <%s>", tag);
    if (container)
        sb_printf(sb, "<rdf:%s><rdf:li%s>", container,
                  strcmp(container, "Alt") == 0 ? " xml:lang=\"x-default\"" : "");
    if (conform_xml_text(sb, value) != 0)
        return -1;
    if (container)
        sb_printf(sb, "</rdf:li></rdf:%s>", container);
    sb_printf(sb, "</%s>\n", tag);
    return 0;
}

/* The XMP packet (UTF-8, no bytes or encoding attribute: veraPDF
 * 6.6.2.1-2, -3), or NULL with *bad the property that cannot be XML. */
static char *build_xmp(const Meta *m, int pdfa, const char **bad)
{
    static const struct {
        int meta;
        const char *tag, *container;
    } props[] = {
        {M_TITLE, "dc:title", "Alt"},         {M_AUTHOR, "dc:creator", "Seq"},
        {M_SUBJECT, "dc:description", "Alt"}, {M_LANG, "dc:language", "Bag"},
        {M_KEYWORDS, "pdf:Keywords", NULL},   {M_PRODUCER, "pdf:Producer", NULL},
        {M_CREATOR, "xmp:CreatorTool", NULL}, {M_CREATED, "xmp:CreateDate", NULL},
        {M_MODIFIED, "xmp:ModifyDate", NULL}, {M_MODIFIED, "xmp:MetadataDate", NULL},
    };
    StrBuf sb = {0};
    sb_puts(&sb, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                 "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                 " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                 "  <rdf:Description rdf:about=\"\"\n"
                 "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                 "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                 "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n");
    if (pdfa)
        sb_puts(&sb, "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n");
    sb_puts(&sb, "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
                 "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
                 "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
                 "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
                 "   <dc:format>application/pdf</dc:format>\n");
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
        if (xmp_prop(&sb, props[i].tag, props[i].container, m->v[props[i].meta]) != 0) {
            *bad = props[i].tag;
            sb_free(&sb);
            return NULL;
        }
    }
    if (pdfa)
        sb_puts(&sb, "   <pdfaid:part>2</pdfaid:part>\n"
                     "   <pdfaid:conformance>U</pdfaid:conformance>\n");
    sb_puts(&sb, "   <pdfuaid:part>1</pdfuaid:part>\n"
                 "   <pdfaExtension:schemas>\n"
                 "    <rdf:Bag>\n"
                 "     <rdf:li rdf:parseType=\"Resource\">\n"
                 "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
                 "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
                 "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
                 "      <pdfaSchema:property>\n"
                 "       <rdf:Seq>\n"
                 "        <rdf:li rdf:parseType=\"Resource\">\n"
                 "         <pdfaProperty:name>part</pdfaProperty:name>\n"
                 "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
                 "         <pdfaProperty:category>internal</pdfaProperty:category>\n"
                 "         <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
                 "followed</pdfaProperty:description>\n"
                 "        </rdf:li>\n"
                 "       </rdf:Seq>\n"
                 "      </pdfaSchema:property>\n"
                 "     </rdf:li>\n"
                 "    </rdf:Bag>\n"
                 "   </pdfaExtension:schemas>\n"
                 "  </rdf:Description>\n"
                 " </rdf:RDF>\n"
                 "</x:xmpmeta>\n"
                 "<?xpacket end=\"r\"?>");
    return sb_take(&sb);
}

/* ---- the catalog and trailer ------------------------------------------------- */

static void add_metadata(HPDF_Doc pdf, const char *xmp)
{
    HPDF_Dict md = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!md)
        return;
    md->filter = HPDF_STREAM_FILTER_NONE; /* readable by any PDF/A reader */
    HPDF_Dict_AddName(md, "Type", "Metadata");
    HPDF_Dict_AddName(md, "Subtype", "XML");
    HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)xmp, (HPDF_UINT)strlen(xmp));
    HPDF_Dict_Add(pdf->catalog, "Metadata", md);
}

static void add_output_intent(HPDF_Doc pdf, const OutputProfile *p)
{
    HPDF_Dict icc = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    HPDF_Dict oi = HPDF_Dict_New(pdf->mmgr);
    HPDF_Array list = HPDF_Array_New(pdf->mmgr);
    if (!icc || !oi || !list)
        return;
    icc->filter = HPDF_STREAM_FILTER_NONE; /* compressed by pdfpack, like every stream but the XMP */
    HPDF_Dict_AddNumber(icc, "N", p->components);
    HPDF_Stream_Write(icc->stream, p->icc, (HPDF_UINT)p->len);
    HPDF_Dict_AddName(oi, "Type", "OutputIntent");
    HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
    HPDF_Dict_Add(oi, "OutputConditionIdentifier", HPDF_String_New(pdf->mmgr, p->condition, NULL));
    HPDF_Dict_Add(oi, "Info", HPDF_String_New(pdf->mmgr, p->condition, NULL));
    HPDF_Dict_Add(oi, "DestOutputProfile", icc);
    HPDF_Array_Add(list, oi);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", list);
}

static void add_id_placeholder(HPDF_Doc pdf)
{
    HPDF_BYTE zero[ID_LEN] = {0};
    HPDF_Array id = HPDF_Array_New(pdf->mmgr);
    if (!id)
        return;
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, zero, ID_LEN));
    HPDF_Array_Add(id, HPDF_Binary_New(pdf->mmgr, zero, ID_LEN));
    HPDF_Dict_Add(pdf->trailer, "ID", id);
}

int conform_prepare(HPDF_Doc pdf, const OutputProfile *profile, const DocInfo *info, const char *file, Diag *d)
{
    size_t errors = d->errors;
    HPDF_STATUS before = HPDF_Error_GetCode(&pdf->error);
    Meta m = {{0}};
    meta_from(info, &m);
    if (d->errors == errors) {
        const char *bad = NULL;
        char *xmp = build_xmp(&m, profile != NULL, &bad);
        if (xmp)
            add_metadata(pdf, xmp);
        else
            diag_error(d, file, 0, 0, "the document information for %s holds a character XML cannot hold "
                       "(a control character)", bad);
        free(xmp);
    }
    meta_free_all(&m);
    if (d->errors == errors) {
        if (profile)
            add_output_intent(pdf, profile);
        add_id_placeholder(pdf);
    }
    HPDF_STATUS now = HPDF_Error_GetCode(&pdf->error);
    if (now != before && d->errors == errors)
        diag_error(d, file, 0, 0, "PDF writer failed while adding the PDF/A and PDF/UA metadata "
                   "(libharu 0x%04lX/%lu)", (unsigned long)now,
                   (unsigned long)HPDF_Error_GetDetailCode(&pdf->error));
    return d->errors == errors ? 0 : -1;
}

/* ---- the identifier -------------------------------------------------------- */

int conform_stamp_id(unsigned char *pdf, size_t len)
{
    /* The trailer (or cross-reference stream) comes last: the last
     * "/ID [<hex><hex>]" whose two strings are the zero placeholder. */
    unsigned char *hex[2];
    size_t at = len < 3 ? 0 : len - 2;
    for (;;) {
        do {
            if (at == 0)
                return -1;
            at--;
        } while (memcmp(pdf + at, "/ID", 3) != 0);
        size_t p = at + 3;
        int ok = 1;
        for (int k = 0; k < 2 && ok; k++) {
            for (size_t lim = p + 4; p < len && p < lim && pdf[p] != '<';)
                p++; /* " [ " or " " before each string */
            ok = p + 1 + 2 * ID_LEN + 1 <= len && pdf[p] == '<' && pdf[p + 1 + 2 * ID_LEN] == '>';
            hex[k] = pdf + p + 1;
            for (size_t i = 0; ok && i < 2 * ID_LEN; i++)
                ok = hex[k][i] == '0';
            p += 2 + 2 * ID_LEN;
        }
        if (ok)
            break;
    }
    HPDF_MD5_CTX ctx;
    HPDF_BYTE digest[ID_LEN];
    HPDF_MD5Init(&ctx);
    HPDF_MD5Update(&ctx, pdf, (HPDF_UINT32)len);
    HPDF_MD5Final(digest, &ctx);
    static const char digits[] = "0123456789ABCDEF";
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ID_LEN; i++) {
            hex[k][2 * i] = (unsigned char)digits[digest[i] >> 4];
            hex[k][2 * i + 1] = (unsigned char)digits[digest[i] & 15];
        }
    return 0;
}
