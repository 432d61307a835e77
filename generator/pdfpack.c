#include "pdfpack.h"
#include "flatepool.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Objects per object stream: small enough that the index field of the
 * cross-reference stream (2 bytes) always holds it. */
#define OBJSTM_MAX 200

typedef struct {
    size_t off;      /* in the input; 0: free */
    size_t end;      /* just past its "endobj" */
    int stream;
    size_t stm;      /* the object stream it is packed into (its object number) */
    size_t index;    /* its place in that stream */
    size_t new_off;  /* in the output, when not packed */
    /* A stream libharu left uncompressed (render.c asks it to), to be
     * compressed here: its data, and the object that holds its /Length. */
    int compress;
    size_t data_off, data_len, length_obj;
    /* The /Length object of a compressed stream: dropped (a free entry),
     * the stream's dictionary says its new length itself. */
    int dropped;
    size_t job;      /* with compress: its FlateJob */
} Obj;

static const unsigned char *find(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (hay[i] == (unsigned char)needle[0] && memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

/* The last occurrence of needle in hay[0, n). */
static const unsigned char *find_last(const unsigned char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n >= k ? n - k + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static int parse_uint(const unsigned char **p, const unsigned char *end, size_t *v)
{
    size_t x = 0;
    const unsigned char *s = *p;
    if (s >= end || *s < '0' || *s > '9')
        return -1;
    while (s < end && *s >= '0' && *s <= '9') {
        if (x > SIZE_MAX / 10 - 10)
            return -1;
        x = x * 10 + (size_t)(*s++ - '0');
    }
    *p = s;
    *v = x;
    return 0;
}

/* The number an object holds ("N 0 obj\n1234\nendobj"), or -1. */
static int object_number_value(const unsigned char *in, const Obj *o, size_t *v)
{
    const unsigned char *p = in + o->off, *end = in + o->end - 6;
    while (p < end && *p != 'j')
        p++; /* past "N 0 obj" */
    p++;
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
        p++;
    if (parse_uint(&p, end, v) != 0)
        return -1;
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
        p++;
    return p == end ? 0 : -1;
}

/* A stream object as libharu writes it, "N 0 obj\n<<\n/Length M 0 R\n...>>
 * \nstream\r\nDATA\nendstream\nendobj": without a /Filter, and not the
 * XMP metadata (kept readable, as PDF/A readers expect), it is marked to be
 * compressed. Returns 0, or -1 for a stream object of another shape. */
static int plan_stream(const unsigned char *in, Obj *objs, size_t n, size_t i)
{
    Obj *o = &objs[i];
    const unsigned char *start = in + o->off;
    const unsigned char *kw = find(start, o->end - o->off, "\nstream\r\n");
    if (!kw)
        return -1;
    size_t dict_len = (size_t)(kw - start);
    if (find(start, dict_len, "/Filter") || find(start, dict_len, "/Type /Metadata"))
        return 0;
    const unsigned char *lk = find(start, dict_len, "/Length ");
    size_t num, len;
    if (!lk)
        return -1;
    lk += 8;
    if (parse_uint(&lk, kw, &num) != 0 || (size_t)(kw - lk) < 4 || memcmp(lk, " 0 R", 4) != 0 || num >= n ||
        num == i || !objs[num].off || objs[num].stream || objs[num].dropped ||
        object_number_value(in, &objs[num], &len) != 0)
        return -1;
    o->data_off = (size_t)(kw - in) + 9;
    if (len > o->end - o->data_off || o->end - o->data_off - len < 10 ||
        memcmp(in + o->data_off + len, "\nendstream", 10) != 0)
        return -1;
    o->compress = 1;
    o->data_len = len;
    o->length_obj = num;
    objs[num].dropped = 1;
    return 0;
}

/* Copy a stream object to res, compressed when planned so: libharu's
 * framing kept, its "/Length N 0 R" written as the new length itself and
 * "/Filter [ /FlateDecode ]" added as libharu would write it. */
static int put_stream(const unsigned char *in, Obj *objs, size_t i, const FlateJob *jobs, StrBuf *res)
{
    Obj *o = &objs[i];
    if (!o->compress) {
        sb_append(res, (const char *)in + o->off, o->end - o->off);
        return 0;
    }
    const unsigned char *start = in + o->off, *kw = in + o->data_off - 9;
    const unsigned char *close = find_last(start, (size_t)(kw - start), ">>");
    const unsigned char *lk = close ? find(start, (size_t)(close - start), "/Length ") : NULL;
    const unsigned char *ref = lk ? find(lk, (size_t)(close - lk), " 0 R") : NULL;
    if (!ref)
        return -1;
    const StrBuf *z = &jobs[o->job].out;
    sb_append(res, (const char *)start, (size_t)(lk - start));
    sb_printf(res, "/Length %zu", z->len);
    sb_append(res, (const char *)ref + 4, (size_t)(close - (ref + 4)));
    sb_puts(res, "/Filter [ /FlateDecode ]\n");
    sb_append(res, (const char *)close, (size_t)(in + o->data_off - close));
    sb_append(res, z->data, z->len);
    size_t tail = o->data_off + o->data_len;
    sb_append(res, (const char *)in + tail, o->end - tail);
    return 0;
}

static void put_field(StrBuf *sb, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        sb_putc(sb, (char)((v >> (8 * i)) & 0xFF));
}

/* Sort object numbers by their offset (insertion into runs would be
 * quadratic for a book: a merge sort). */
static void sort_by_offset(size_t *a, size_t n, const Obj *objs)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_by_offset(a, h, objs);
    sort_by_offset(a + h, n - h, objs);
    size_t *tmp = xmalloc(n * sizeof *tmp), i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = objs[a[i]].off <= objs[a[j]].off ? a[i++] : a[j++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, n * sizeof *tmp);
    free(tmp);
}

/* Finish every task still pending (their bytes dropped). */
static void drop_pending(PackPending *pending, size_t npending)
{
    for (size_t i = 0; i < npending; i++) {
        flate_task_finish(pending[i].task, NULL);
        pending[i].task = NULL;
    }
}

/* The pending task of object i, or NULL. */
static PackPending *pending_of(PackPending *pending, size_t npending, size_t i)
{
    for (size_t k = 0; k < npending; k++)
        if (pending[k].object == i && pending[k].task)
            return &pending[k];
    return NULL;
}

static int pack(FlatePool *pool, const unsigned char *in, size_t len, PackPending *pending, size_t npending,
                unsigned char **out, size_t *outlen);

int pdfpack(FlatePool *pool, const unsigned char *in, size_t len, PackPending *pending, size_t npending,
            unsigned char **out, size_t *outlen)
{
    int rc = pack(pool, in, len, pending, npending, out, outlen);
    drop_pending(pending, npending); /* those pack did not reach */
    return rc;
}

static int pack(FlatePool *pool, const unsigned char *in, size_t len, PackPending *pending, size_t npending,
                unsigned char **out, size_t *outlen)
{
    int no_memory = 0;
    *out = NULL;
    /* startxref OFFSET %%EOF at the end */
    const unsigned char *sx = find_last(in, len, "startxref");
    size_t xref_off;
    const unsigned char *p = sx ? sx + 9 : NULL;
    while (p && p < in + len && (*p == '\n' || *p == '\r' || *p == ' '))
        p++;
    if (!p || parse_uint(&p, in + len, &xref_off) != 0 || xref_off >= len)
        return -1;
    /* xref\n0 N\n then N entries of 20 bytes */
    p = in + xref_off;
    size_t first, n;
    if (len - xref_off < 8 || memcmp(p, "xref", 4) != 0)
        return -1;
    p += 4;
    while (p < in + len && (*p == '\n' || *p == '\r'))
        p++;
    if (parse_uint(&p, in + len, &first) != 0 || first != 0 || p >= in + len || *p++ != ' ' ||
        parse_uint(&p, in + len, &n) != 0 || n < 1 || n > len / 20)
        return -1;
    while (p < in + len && (*p == '\n' || *p == '\r' || *p == ' '))
        p++;
    if ((size_t)(in + len - p) < n * 20)
        return -1;
    Obj *objs = xcalloc(n, sizeof *objs);
    int rc = -1;
    StrBuf body = {0}, head = {0}, res = {0}, xs = {0};
    FlateJob *jobs = NULL;
    size_t njobs = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *e = p + 20 * i;
        const unsigned char *q = e;
        size_t off, gen;
        if (parse_uint(&q, e + 10, &off) != 0 || q != e + 10 || e[10] != ' ')
            goto done;
        q = e + 11;
        if (parse_uint(&q, e + 16, &gen) != 0 || q != e + 16 || (e[17] != 'n' && e[17] != 'f'))
            goto done;
        if (e[17] == 'n') {
            if (gen != 0 || off >= xref_off)
                goto done; /* libharu writes generation 0 only */
            objs[i].off = off;
        }
    }
    /* The trailer dictionary, between the table and startxref; one section
     * only, and nothing encrypted. */
    const unsigned char *trailer = p + 20 * n;
    if (trailer > sx)
        goto done;
    const unsigned char *tdict = find(trailer, (size_t)(sx - trailer), "<<");
    const unsigned char *tend = tdict ? find_last(tdict, (size_t)(sx - tdict), ">>") : NULL;
    if (!tdict || !tend || find(tdict, (size_t)(tend - tdict), "/Encrypt") ||
        find(tdict, (size_t)(tend - tdict), "/Prev"))
        goto done;
    /* Each object ends with "endobj" before the next one starts; a stream
     * object holds "endstream". */
    size_t *order = xmalloc(n * sizeof *order), nused = 0;
    for (size_t i = 1; i < n; i++)
        if (objs[i].off)
            order[nused++] = i;
    sort_by_offset(order, nused, objs);
    for (size_t k = 0; k < nused; k++) {
        size_t i = order[k];
        Obj *o = &objs[i];
        char label[32];
        int ll = snprintf(label, sizeof label, "%zu 0 obj", i);
        size_t next = k + 1 < nused ? objs[order[k + 1]].off : xref_off;
        const unsigned char *eo = NULL;
        if (o->off + (size_t)ll <= next && memcmp(in + o->off, label, (size_t)ll) == 0)
            eo = find_last(in + o->off, next - o->off, "endobj");
        if (!eo) {
            free(order);
            goto done;
        }
        o->end = (size_t)(eo - in) + 6;
        /* A stream object ends "endstream" EOL "endobj": look only there,
         * not through the stream's data. */
        size_t tail = o->end - o->off < 24 ? o->end - o->off : 24;
        o->stream = find(in + o->end - tail, tail, "endstream") != NULL;
    }
    free(order);
    for (size_t i = 1; i < n; i++)
        if (objs[i].off && objs[i].stream && plan_stream(in, objs, n, i) != 0)
            goto done;

    /* Object streams of at most OBJSTM_MAX objects ("num offset" pairs,
     * then the bodies), so an index always fits and a reader finds an
     * object without inflating all of them. The dropped /Length objects
     * are in none: their entries are free. */
    size_t count = 0;
    for (size_t i = 1; i < n; i++)
        if (objs[i].off && !objs[i].stream && !objs[i].dropped) {
            objs[i].index = count % OBJSTM_MAX;
            objs[i].stm = n + count / OBJSTM_MAX;
            count++;
        }
    if (!count)
        goto done;
    size_t nstm = (count + OBJSTM_MAX - 1) / OBJSTM_MAX, xref_num = n + nstm;
    size_t *stm_off = xcalloc(nstm, sizeof *stm_off);
    StrBuf *stm = xcalloc(nstm, sizeof *stm); /* each object stream's plain data */
    size_t *stm_first = xcalloc(nstm, sizeof *stm_first), *stm_members = xcalloc(nstm, sizeof *stm_members);
    for (size_t k = 0; k < nstm; k++) {
        head.len = body.len = 0;
        for (size_t i = 1; i < n; i++) {
            Obj *o = &objs[i];
            if (!o->off || o->stream || o->dropped || o->stm != n + k)
                continue;
            const unsigned char *bo = in + o->off;
            while (*bo != 'j')
                bo++; /* past "N 0 obj" */
            bo++;
            const unsigned char *e = in + o->end - 6;
            while (bo < e && (*bo == '\n' || *bo == '\r' || *bo == ' '))
                bo++;
            while (e > bo && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
                e--;
            sb_printf(&head, "%zu %zu ", i, body.len);
            sb_append(&body, (const char *)bo, (size_t)(e - bo));
            sb_putc(&body, '\n');
            stm_members[k]++;
        }
        stm_first[k] = head.len;
        sb_append(&stm[k], head.data, head.len);
        sb_append(&stm[k], body.data, body.len);
    }

    /* The new file: header, the streams as they were, the object streams,
     * the cross-reference stream. Every stream's data and every object
     * stream are compressed at once (two cores); those the caller
     * compresses already (pending) come last in jobs, and are waited for
     * once the batch of the others is done. */
    sb_append(&res, "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", 15);
    for (size_t i = 1; i < n; i++)
        njobs += objs[i].off && objs[i].stream && objs[i].compress;
    njobs += nstm;
    jobs = xcalloc(njobs + 1, sizeof *jobs);
    size_t nbatch = 0, nfirst = 0;
    for (size_t k = 0; k < nstm; k++)
        jobs[nbatch++] = (FlateJob){(const unsigned char *)stm[k].data, stm[k].len, {0}};
    for (int late = 0; late < 2; late++) {
        for (size_t i = 1; i < n; i++)
            if (objs[i].off && objs[i].stream && objs[i].compress && !pending_of(pending, npending, i) == !late) {
                objs[i].job = nbatch++;
                jobs[objs[i].job] = (FlateJob){in + objs[i].data_off, objs[i].data_len, {0}};
            }
        if (!late)
            nfirst = nbatch;
    }
    /* Compression fails only for want of memory (flatepool.h). */
    int ok = flate_batch(pool, jobs, nfirst) == 0;
    no_memory = !ok;
    for (size_t k = 0; k < npending; k++) {
        PackPending *pp = &pending[k];
        size_t i = pp->object;
        int known = pp->task && i > 0 && i < n && objs[i].off && objs[i].stream && objs[i].compress &&
                    objs[i].data_len == flate_task_len(pp->task) && !jobs[objs[i].job].out.data;
        int made = flate_task_finish(pp->task, known && ok ? &jobs[objs[i].job].out : NULL) == 0;
        no_memory |= known && ok && !made;
        ok = ok && known && made;
        pp->task = NULL;
    }
    for (size_t i = 1; i < n && ok; i++) {
        Obj *o = &objs[i];
        if (!o->off || !o->stream)
            continue;
        o->new_off = res.len;
        ok = put_stream(in, objs, i, jobs, &res) == 0;
        sb_putc(&res, '\n');
    }
    for (size_t k = 0; k < nstm && ok; k++) {
        const StrBuf *z = &jobs[k].out;
        stm_off[k] = res.len;
        sb_printf(&res, "%zu 0 obj\n<</Type/ObjStm/N %zu/First %zu/Filter/FlateDecode/Length %zu>>\nstream\n", n + k,
                  stm_members[k], stm_first[k], z->len);
        sb_append(&res, z->data, z->len);
        sb_puts(&res, "\nendstream\nendobj\n");
    }
    for (size_t k = 0; k < nstm; k++)
        sb_free(&stm[k]);
    free(stm);
    free(stm_first);
    free(stm_members);
    size_t xref_stream_off = res.len;
    /* Entries: type, then offset or object-stream number, then generation or index. */
    StrBuf rows = {0};
    for (size_t i = 0; i <= xref_num; i++) {
        if (i >= n) { /* an object stream, or the cross-reference stream itself */
            put_field(&rows, 1, 1);
            put_field(&rows, i == xref_num ? xref_stream_off : stm_off[i - n], 4);
            put_field(&rows, 0, 2);
        } else if (!objs[i].off || objs[i].dropped) {
            /* Free: the list of free entries runs from object 0 through
             * each in order back to 0 (ISO 32000-1 7.5.4). */
            size_t next = i + 1;
            while (next < n && objs[next].off && !objs[next].dropped)
                next++;
            put_field(&rows, 0, 1);
            put_field(&rows, next < n ? next : 0, 4);
            put_field(&rows, i == 0 ? 65535 : 0, 2);
        } else if (objs[i].stream) {
            put_field(&rows, 1, 1);
            put_field(&rows, objs[i].new_off, 4);
            put_field(&rows, 0, 2);
        } else {
            put_field(&rows, 2, 1);
            put_field(&rows, objs[i].stm, 4);
            put_field(&rows, objs[i].index, 2);
        }
    }
    free(stm_off);
    if (!ok || res.len > UINT32_MAX || flatepool_append(pool, (const unsigned char *)rows.data, rows.len, &xs) != 0) {
        no_memory |= ok && res.len <= UINT32_MAX;
        sb_free(&rows);
        goto done;
    }
    sb_free(&rows);
    /* The trailer's entries (/Root, /Info, /ID) but /Size, which is new. */
    StrBuf tr = {0};
    const unsigned char *t = tdict + 2;
    while (t < tend) {
        const unsigned char *line = t;
        while (t < tend && *t != '\n')
            t++;
        size_t l = (size_t)(t - line);
        if (l && !(l >= 5 && memcmp(line, "/Size", 5) == 0))
            sb_append(&tr, (const char *)line, l), sb_putc(&tr, '\n');
        if (t < tend)
            t++;
    }
    sb_printf(&res, "%zu 0 obj\n<<\n/Type/XRef/Size %zu/W[1 4 2]/Filter/FlateDecode/Length %zu\n%s>>\nstream\n", xref_num,
              xref_num + 1, xs.len, tr.data ? tr.data : "");
    sb_free(&tr);
    sb_append(&res, xs.data, xs.len);
    sb_printf(&res, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xref_stream_off);
    *outlen = res.len;
    *out = (unsigned char *)sb_take(&res);
    rc = 0;
done:
    for (size_t j = 0; j < njobs; j++)
        sb_free(&jobs[j].out);
    free(jobs);
    free(objs);
    sb_free(&body);
    sb_free(&head);
    sb_free(&res);
    sb_free(&xs);
    return rc == 0 ? 0 : no_memory ? PDFPACK_NO_MEMORY : -1;
}
