#!/usr/bin/env python3
"""fixture.py FONT.ttf OUT.pdf [--break WHAT]...

Writes a small PDF that is meant to be PDF/UA-1 and PDF/A-2u in every point
the checkers look at: a heading, a table with a header row (TH, Scope
Column), a list (L/LI/Lbl/LBody) and a paragraph, the ruling as Artifacts,
the font embedded (a subset made here: unused glyphs emptied), XMP with
pdfaid/pdfuaid and the extension schema, an sRGB-class OutputIntent and a
trailer ID. The tests run the checkers on it (every rule passes, pdf.js
reads the expected order) and on copies broken on purpose (--break), so a
checker that stops seeing a fault is caught. Python 3 standard library.

--break: untagged-text (a text run outside marked content), no-markinfo,
no-xmp, no-scope (the TH has no Scope), bad-nesting (TD directly in Table),
notdef (a .notdef glyph is shown), no-id (no trailer ID).
"""
import hashlib
import struct
import sys
import zlib

TEXTS = ['運営方針', '部局名', '政策推進部', '①', '公民連携事業を推進します。']


def tables_of(data):
    n = struct.unpack('>H', data[4:6])[0]
    t = {}
    for k in range(n):
        tag, _c, off, ln = struct.unpack('>4sIII', data[12 + 16 * k:28 + 16 * k])
        t[tag.decode('latin-1')] = data[off:off + ln]
    return t


def cmap_lookup(cmap):
    """Unicode -> glyph id from a (3,10) format 12 or (3,1) format 4 subtable."""
    out = {}
    n = struct.unpack('>H', cmap[2:4])[0]
    subs = {}
    for k in range(n):
        pid, eid, off = struct.unpack('>HHI', cmap[4 + 8 * k:12 + 8 * k])
        subs[(pid, eid)] = off
    if (3, 10) in subs:
        off = subs[(3, 10)]
        ngroups = struct.unpack('>I', cmap[off + 12:off + 16])[0]
        for g in range(ngroups):
            s, e, gid = struct.unpack('>III', cmap[off + 16 + 12 * g:off + 28 + 12 * g])
            for c in range(s, e + 1):
                out[c] = gid + c - s
        return out
    off = subs[(3, 1)]
    segx2 = struct.unpack('>H', cmap[off + 6:off + 8])[0]
    ends = struct.unpack(f'>{segx2 // 2}H', cmap[off + 14:off + 14 + segx2])
    starts = struct.unpack(f'>{segx2 // 2}H', cmap[off + 16 + segx2:off + 16 + 2 * segx2])
    deltas = struct.unpack(f'>{segx2 // 2}h', cmap[off + 16 + 2 * segx2:off + 16 + 3 * segx2])
    ro_at = off + 16 + 3 * segx2
    ros = struct.unpack(f'>{segx2 // 2}H', cmap[ro_at:ro_at + segx2])
    for i in range(segx2 // 2):
        for c in range(starts[i], ends[i] + 1):
            if c == 0xFFFF:
                continue
            if ros[i] == 0:
                out[c] = (c + deltas[i]) & 0xFFFF
            else:
                a = ro_at + 2 * i + ros[i] + 2 * (c - starts[i])
                g = struct.unpack('>H', cmap[a:a + 2])[0]
                out[c] = (g + deltas[i]) & 0xFFFF if g else 0
    return out


def subset(data, keep):
    """The font with the glyphs outside keep (and their components) emptied."""
    t = tables_of(data)
    long_loca = struct.unpack('>h', t['head'][50:52])[0] == 1
    nglyphs = struct.unpack('>H', t['maxp'][4:6])[0]
    loca = (struct.unpack(f'>{nglyphs + 1}I', t['loca'][:4 * (nglyphs + 1)]) if long_loca else
            [x * 2 for x in struct.unpack(f'>{nglyphs + 1}H', t['loca'][:2 * (nglyphs + 1)])])
    glyf = t['glyf']
    todo, keep = list(keep), set(keep)
    while todo:
        g = todo.pop()
        gd = glyf[loca[g]:loca[g + 1]]
        if len(gd) >= 10 and struct.unpack('>h', gd[:2])[0] < 0:
            p = 10
            while True:
                flags, comp = struct.unpack('>HH', gd[p:p + 4])
                if comp not in keep:
                    keep.add(comp)
                    todo.append(comp)
                p += 4 + (4 if flags & 1 else 2)
                p += 8 if flags & 0x80 else 4 if flags & 0x40 else 2 if flags & 8 else 0
                if not flags & 0x20:
                    break
    new_glyf = bytearray()
    new_loca = []
    for g in range(nglyphs):
        new_loca.append(len(new_glyf))
        if g in keep:
            new_glyf += glyf[loca[g]:loca[g + 1]]
            new_glyf += b'\0' * (-len(new_glyf) % 4)
    new_loca.append(len(new_glyf))
    t['glyf'] = bytes(new_glyf)
    t['loca'] = struct.pack(f'>{nglyphs + 1}I', *new_loca)
    t['head'] = t['head'][:50] + struct.pack('>h', 1) + t['head'][52:]
    names = [n for n in ('cmap', 'cvt ', 'fpgm', 'glyf', 'head', 'hhea', 'hmtx', 'loca', 'maxp', 'prep') if n in t]
    out = bytearray(struct.pack('>IHHHH', 0x00010000, len(names), 0, 0, 0))
    off = 12 + 16 * len(names)
    body = bytearray()
    for n in names:
        d = t[n]
        out += struct.pack('>4sIII', n.encode('latin-1'), sum(struct.unpack(f'>{(len(d) + 3) // 4}I', d + b'\0' * (-len(d) % 4))) & 0xFFFFFFFF,
                           off + len(body), len(d))
        body += d + b'\0' * (-len(d) % 4)
    return bytes(out + body), nglyphs, t


def icc_profile():
    """A minimal ICC v2 display (mntr) RGB profile header with an empty tag table."""
    h = bytearray(132)
    struct.pack_into('>I', h, 0, 132)
    h[8:12] = bytes([2, 0x10, 0, 0])
    h[12:16] = b'mntr'
    h[16:20] = b'RGB '
    h[20:24] = b'XYZ '
    h[36:40] = b'acsp'
    struct.pack_into('>iii', h, 68, 63190, 65536, 54061)  # D50
    return bytes(h)


def pdfstr(s):
    return '<feff' + s.encode('utf-16-be').hex() + '>'


def main(argv):
    args = argv[1:]
    breaks = set()
    while '--break' in args:
        k = args.index('--break')
        breaks.add(args[k + 1])
        del args[k:k + 2]
    font_path, out_path = args
    data = open(font_path, 'rb').read()
    t = tables_of(data)
    cmap = cmap_lookup(t['cmap'])
    chars = sorted(set(''.join(TEXTS)))
    gids = {c: cmap[ord(c)] for c in chars}
    font, nglyphs, st = subset(data, set(gids.values()) | {0})
    upem = struct.unpack('>H', st['head'][18:20])[0]
    nh = struct.unpack('>H', st['hhea'][34:36])[0]

    def adv(g):
        k = min(g, nh - 1)
        return round(struct.unpack('>H', st['hmtx'][4 * k:4 * k + 2])[0] * 1000 / upem)

    def enc(s):
        return '<' + ''.join(f'{gids[c]:04x}' for c in s) + '>'
    widths = ' '.join(f'{g} [{adv(g)}]' for g in sorted(set(gids.values())))
    tounicode = ('/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo << /Registry (Adobe) '
                 '/Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def\n'
                 '1 begincodespacerange <0000> <FFFF> endcodespacerange\n'
                 f'{len(chars)} beginbfchar\n' +
                 ''.join(f'<{gids[c]:04x}> <{c.encode("utf-16-be").hex()}>\n' for c in chars) +
                 'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n')

    title = '運営方針の例'
    th_attr = '' if 'no-scope' in breaks else ' /A << /O /Table /Scope /Column >>'
    notdef = '<0000>' if 'notdef' in breaks else ''
    content = (
        '/Artifact BMC 0 0 0 RG 0.5 w 50 700 m 300 700 l S 50 650 m 300 650 l S EMC\n'
        f'/H1 << /MCID 0 >> BDC BT /F1 16 Tf 1 0 0 1 50 780 Tm {enc(TEXTS[0])} Tj ET EMC\n'
        f'/TH << /MCID 1 >> BDC BT /F1 10 Tf 1 0 0 1 55 705 Tm {enc(TEXTS[1])} Tj ET EMC\n'
        f'/TD << /MCID 2 >> BDC BT /F1 10 Tf 1 0 0 1 55 655 Tm {enc(TEXTS[2])}{notdef} Tj ET EMC\n'
        f'/Lbl << /MCID 3 >> BDC BT /F1 10 Tf 1 0 0 1 50 600 Tm {enc(TEXTS[3])} Tj ET EMC\n'
        f'/LBody << /MCID 4 >> BDC BT /F1 10 Tf 1 0 0 1 65 600 Tm {enc(TEXTS[4])} Tj ET EMC\n'
        f'/P << /MCID 5 >> BDC BT /F1 10 Tf 1 0 0 1 50 560 Tm {enc(TEXTS[4])} Tj ET EMC\n')
    if 'untagged-text' in breaks:
        content += f'BT /F1 10 Tf 1 0 0 1 50 500 Tm {enc(TEXTS[2])} Tj ET\n'

    date_pdf, date_xmp = "D:20240402000000Z", '2024-04-02T00:00:00Z'
    xmp = f'''<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>柏原市</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>ja</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date_xmp}</xmp:CreateDate>
<xmp:ModifyDate>{date_xmp}</xmp:ModifyDate>
<pdf:Producer>fixture.py</pdf:Producer>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>U</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>'''.encode('utf-8')

    objs = {}
    objs[1] = ('<< /Type /Catalog /Pages 2 0 R /Lang (ja) /StructTreeRoot 10 0 R'
               + ('' if 'no-markinfo' in breaks else ' /MarkInfo << /Marked true >>')
               + ('' if 'no-xmp' in breaks else ' /Metadata 20 0 R')
               + ' /ViewerPreferences << /DisplayDocTitle true >> /OutputIntents [21 0 R] >>')
    objs[2] = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'
    objs[3] = ('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /StructParents 0 '
               '/Resources << /Font << /F1 5 0 R >> >> >>')
    objs[4] = content.encode('latin-1')
    objs[5] = '<< /Type /Font /Subtype /Type0 /BaseFont /FIXAAA+Fixture /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 9 0 R >>'
    objs[6] = ('<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FIXAAA+Fixture /CIDSystemInfo << /Registry (Adobe) '
               f'/Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /CIDToGIDMap /Identity /DW 1000 /W [{widths}] >>')
    objs[7] = ('<< /Type /FontDescriptor /FontName /FIXAAA+Fixture /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 '
               '/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 /FontFile2 8 0 R >>')
    objs[8] = font
    objs[9] = tounicode.encode('latin-1')
    # structure: Document > H1, Table > TR > TH / TR > TD, L > LI > Lbl, LBody, P
    objs[10] = '<< /Type /StructTreeRoot /K [11 0 R] /ParentTree 30 0 R /ParentTreeNextKey 1 >>'
    objs[11] = '<< /Type /StructElem /S /Document /P 10 0 R /K [12 0 R 13 0 R 18 0 R 19 0 R] >>'
    objs[12] = '<< /Type /StructElem /S /H1 /P 11 0 R /Pg 3 0 R /K 0 >>'
    if 'bad-nesting' in breaks:
        objs[13] = '<< /Type /StructElem /S /Table /P 11 0 R /K [14 0 R 17 0 R] >>'
        objs[17] = '<< /Type /StructElem /S /TD /P 13 0 R /Pg 3 0 R /K 2 >>'
    else:
        objs[13] = '<< /Type /StructElem /S /Table /P 11 0 R /K [14 0 R 16 0 R] >>'
        objs[16] = '<< /Type /StructElem /S /TR /P 13 0 R /K [17 0 R] >>'
        objs[17] = '<< /Type /StructElem /S /TD /P 16 0 R /Pg 3 0 R /K 2 >>'
    objs[14] = '<< /Type /StructElem /S /TR /P 13 0 R /K [15 0 R] >>'
    objs[15] = f'<< /Type /StructElem /S /TH /P 14 0 R /Pg 3 0 R /K 1{th_attr} >>'
    objs[18] = '<< /Type /StructElem /S /L /P 11 0 R /K [22 0 R] >>'
    objs[22] = '<< /Type /StructElem /S /LI /P 18 0 R /K [23 0 R 24 0 R] >>'
    objs[23] = '<< /Type /StructElem /S /Lbl /P 22 0 R /Pg 3 0 R /K 3 >>'
    objs[24] = '<< /Type /StructElem /S /LBody /P 22 0 R /Pg 3 0 R /K 4 >>'
    objs[19] = '<< /Type /StructElem /S /P /P 11 0 R /Pg 3 0 R /K 5 >>'
    objs[30] = '<< /Nums [0 [12 0 R 15 0 R 17 0 R 23 0 R 24 0 R 19 0 R]] >>'
    objs[20] = ('xmp', xmp)
    objs[21] = '<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB) /DestOutputProfile 25 0 R >>'
    objs[25] = ('icc', icc_profile())
    objs[26] = (f'<< /Title {pdfstr(title)} /Author {pdfstr("柏原市")} /Producer (fixture.py) '
                f'/CreationDate ({date_pdf}) /ModDate ({date_pdf}) >>')

    out = bytearray(b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n')
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        o = objs[n]
        out += f'{n} 0 obj\n'.encode()
        if isinstance(o, tuple) and o[0] == 'xmp':
            out += f'<< /Type /Metadata /Subtype /XML /Length {len(o[1])} >>\nstream\n'.encode() + o[1] + b'\nendstream'
        elif isinstance(o, tuple) and o[0] == 'icc':
            z = zlib.compress(o[1])
            out += f'<< /N 3 /Length {len(z)} /Filter /FlateDecode >>\nstream\n'.encode() + z + b'\nendstream'
        elif isinstance(o, bytes):
            z = zlib.compress(o, 9)
            extra = f' /Length1 {len(o)}' if n == 8 else ''
            out += f'<< /Length {len(z)} /Filter /FlateDecode{extra} >>\nstream\n'.encode() + z + b'\nendstream'
        else:
            out += o.encode('latin-1')
        out += b'\nendobj\n'
    size = max(objs) + 1
    xref = len(out)
    out += f'xref\n0 {size}\n0000000000 65535 f \n'.encode()
    for n in range(1, size):
        out += (f'{offsets[n]:010d} 00000 n \n' if n in offsets else '0000000000 65535 f \n').encode()
    fid = hashlib.md5(bytes(out)).hexdigest()
    idpart = '' if 'no-id' in breaks else f' /ID [<{fid}> <{fid}>]'
    out += f'trailer\n<< /Size {size} /Root 1 0 R /Info 26 0 R{idpart} >>\nstartxref\n{xref}\n%%EOF\n'.encode()
    with open(out_path, 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    main(sys.argv)
