#!/usr/bin/env python3
"""conformance.py FILE.pdf -- the machine-checkable rules of PDF/UA-1 and PDF/A-2u.

Checks a PDF against the veraPDF validation profiles of ISO 14289-1 (PDF/UA-1)
and ISO 19005-2 level U (PDF/A-2u) -- shared/reference/verapdf/PDFUA-1.xml and
PDFA-2U.xml -- and a few requirements of ISO 32000-1 and issue 10 that those
rules take for granted (profile EXTRA). Python 3 standard library only; the
objects come from `qpdf --json=2` (streams decoded), the bytes of the file are
read for the lexical rules, and content streams are tokenized and run
(marked content, text, paths, images, colour, graphics states, fonts).

Output: one line per rule, in the profiles' order,
    PASS|FAIL|N/A <profile> <clause>-<testNumber> <short description>[ — N×: where]
N/A: the object the rule applies to is not in the file (no annotation, no
table, no image...). Exit status 1 if any rule FAILs, 2 if the file cannot
be read. `--list` prints every rule, `--list-md` the same as a Markdown
table, `--human` the conditions left to a person.

CHECKED: every rule of both profiles (252 rules) and the EXTRA rules, each
evaluated on the objects it applies to, as veraPDF states the test in the
profile (clause and test number as in the XML). The rules are grouped:
  file and syntax   PDF/A 6.1.2-1/2, 6.1.3-1/2/3, 6.1.4-2, 6.1.6-1/2, 6.1.7.1-1/2/3,
                    6.1.7.2-1, 6.1.8-1, 6.1.9-1, 6.1.10-1, 6.1.12-1/2, 6.1.13-1..11;
                    PDF/UA 6.1-1, 7.16-1
  catalog           UA 6.2-1 (MarkInfo Marked), 7.1-4 (Suspects), 7.1-8 (Metadata),
                    7.1-10 (DisplayDocTitle), 7.1-11 (StructTreeRoot), 7.2-2, 7.2-29 (Lang);
                    PDF/A 6.4.2-2, 6.5.2-1, 6.10-1, 6.11-1, 6.9-1..4, 6.4.1-x, 6.8-2
  metadata (XMP)    UA 5-1..5 (pdfuaid), 7.1-9 (dc:title), 7.2-33; PDF/A 6.6.2.1-1..5,
                    6.6.2.3.1-1/2 (every property predefined or in an extension schema,
                    with a value of its type), 6.6.2.3.2-1, 6.6.2.3.3-1..18 (the
                    extension schema that declares pdfuaid), 6.6.4-1..7 (pdfaid)
  colour            PDF/A 6.2.3-1/2/3 (OutputIntent and its ICC profile), 6.2.4.2-1/2,
                    6.2.4.3-2/3/4 (Device colour needs the OutputIntent), 6.2.5-1..6,
                    6.2.6-1, 6.2.10-1/2
  content           PDF/A 6.2.2-1/2, 6.1.13-8, 6.2.8-x, 6.2.9-x; UA 7.1-1/2/3 (every
                    text, path and image inside an MCID that the tree references or an
                    Artifact), 7.2-30/31/32/34, 7.20-1/2
  fonts             PDF/A 6.2.11.2-1..7, 6.2.11.3.1-1, 6.2.11.3.2-1, 6.2.11.3.3-1..3,
                    6.2.11.4.1-1/2, 6.2.11.4.2-1/2, 6.2.11.5-1 (W against hmtx),
                    6.2.11.6-1..4, 6.2.11.7.2-1/2 (ToUnicode of every code shown),
                    6.2.11.8-1 (.notdef); the same as UA 7.21.x
  structure         UA 7.1-5/6/7 (standard types or RoleMap), 7.1-12, 7.2-3..20,
                    7.2-26..28, 7.2-36..43 (tables: TR/TH/TD nesting, regular grid,
                    spans), 7.2-21/22/23, 7.3-1 (Figure Alt), 7.4.2-1, 7.4.4-1/2/3
                    (headings), 7.5-1/2 (TD has a connected TH: Scope or Headers),
                    7.7-1, 7.9-1/2, 7.18.4-2
  annotations       UA 7.18.1-1/2/3, 7.18.2-1, 7.18.3-1 (Tabs /S), 7.18.4-1, 7.18.5-1/2
                    (Link in a Link element, with Contents), 7.18.8-1, 7.2-24/25;
                    PDF/A 6.3.1-1, 6.3.2-1/2, 6.3.3-1..4, 6.4.1-1, 6.5.1-1/2
  EXTRA             tree-1..7 (ParentTree, StructParents on every page, MCIDs <->
                    ParentTree <-> elements, P entries), table-1 (TH Scope or TD
                    Headers), lang-1, xmp-1 (Info = XMP), xmp-2 (the XMP fields issue
                    10 names), oi-1 (DestOutputProfile N), font-1 (no zero-length or
                    missing TrueType tables), font-2 (subset tags)

NOT EVALUATED HERE (the objects never occur in what policygen writes; when one
does occur the rule FAILs with "not evaluated" rather than passing silently):
  PDF/A 6.2.4.4-1/2 (Separation, DeviceN), 6.2.5-6 (halftone transfer
  functions), 6.2.8.3-1..5 (JPEG 2000 internals), 6.4.3-1/2/3 (signatures),
  6.8-5 (embedded files being PDF/A), 6.2.11.4.2-1 (Type 1 CharSet), the glyph
  rules for simple fonts and non-Identity CMaps; PDF/UA 7.15-1 (XFA), 7.18.6.2-1/2
  (media clips), 7.21.4.2-1.

LEFT TO A HUMAN (no program decides these; docs/accessibility.md says who
checks them and how; `--human` prints them):
  - real content is tagged and decoration is an Artifact as a reader experiences it
  - the structure types are semantically appropriate (headings, labels, tables)
  - the reading order is logical: the form read as a person reads it
  - the natural language is right where it changes
  - alternative text is meaningful; ActualText is what the glyphs show
  - headings are used where the content has headings, levels follow its outline
  - header cells are the right cells; lists are tagged where the content is a list
  - colour, contrast or position is not the only carrier of information
  - the document title identifies the document; link text says where it goes
  - the bookmarks match the document structure
"""

import base64
import json
import re
import struct
import subprocess
import sys
import xml.dom.minidom

# The rules of the two veraPDF profiles, in their order: (profile, clause-testNumber, object, description).
RULES = [
    ('PDFUA-1', '5-1', 'MainXMPPackage', 'The PDF/UA version and conformance level of a file shall be specified using the PDF/UA Identification…'),
    ('PDFUA-1', '5-2', 'PDFUAIdentification', 'The value of "pdfuaid:part" shall be the part number of the International Standard to which the file conforms'),
    ('PDFUA-1', '5-3', 'PDFUAIdentification', 'Property "part" of the PDF/UA Identification Schema shall have namespace prefix "pdfuaid"'),
    ('PDFUA-1', '5-4', 'PDFUAIdentification', 'Property "amd" of the PDF/UA Identification Schema shall have namespace prefix "pdfuaid"'),
    ('PDFUA-1', '5-5', 'PDFUAIdentification', 'Property "corr" of the PDF/UA Identification Schema shall have namespace prefix "pdfuaid"'),
    ('PDFUA-1', '6.1-1', 'CosDocument', 'The file header shall consist of "%PDF-1.n" followed by a single EOL marker, where \'n\' is a single digit…'),
    ('PDFUA-1', '6.2-1', 'CosDocument', 'The document catalog dictionary shall include a MarkInfo dictionary containing an entry, Marked, whose…'),
    ('PDFUA-1', '7.1-1', 'SEMarkedContent', 'Content marked as Artifact should not be present inside tagged content'),
    ('PDFUA-1', '7.1-2', 'SEMarkedContent', 'Tagged content should not be present inside content marked as Artifact'),
    ('PDFUA-1', '7.1-3', 'SESimpleContentItem', 'Content shall be marked as Artifact or tagged as real content'),
    ('PDFUA-1', '7.1-4', 'CosDocument', 'Files shall have a Suspects value of false'),
    ('PDFUA-1', '7.1-5', 'SENonStandard', 'All non-standard structure types shall be mapped to the nearest functionally equivalent standard type, in…'),
    ('PDFUA-1', '7.1-6', 'PDStructElem', 'A circular mapping shall not exist'),
    ('PDFUA-1', '7.1-7', 'PDStructElem', 'Standard tags defined in, shall not be remapped'),
    ('PDFUA-1', '7.1-8', 'PDDocument', 'The Catalog dictionary of a conforming file shall contain the Metadata key whose value is a metadata…'),
    ('PDFUA-1', '7.1-9', 'MainXMPPackage', "The Metadata stream in the document's catalog dictionary shall contain a dc:title entry, where dc is the…"),
    ('PDFUA-1', '7.1-10', 'CosDocument', 'The document catalog dictionary shall include a ViewerPreferences dictionary containing a DisplayDocTitle…'),
    ('PDFUA-1', '7.1-11', 'PDDocument', 'The logical structure of the conforming file shall be described by a structure hierarchy rooted in the…'),
    ('PDFUA-1', '7.1-12', 'PDStructElem', 'A structure element dictionary shall contain the P (parent) entry according to'),
    ('PDFUA-1', '7.2-2', 'PDOutline', 'Natural language in the Outline entries shall be determined'),
    ('PDFUA-1', '7.2-3', 'SETable', 'Table element may contain only TR, THead, TBody, TFoot and Caption elements'),
    ('PDFUA-1', '7.2-4', 'SETR', 'TR element should be contained in Table, THead, TBody or TFoot element'),
    ('PDFUA-1', '7.2-5', 'SETHead', 'THead element should be contained in Table element'),
    ('PDFUA-1', '7.2-6', 'SETBody', 'TBody element should be contained in Table element'),
    ('PDFUA-1', '7.2-7', 'SETFoot', 'TFoot element should be contained in Table element'),
    ('PDFUA-1', '7.2-8', 'SETH', 'TH element should be contained in TR element'),
    ('PDFUA-1', '7.2-9', 'SETD', 'TD element should be contained in TR element'),
    ('PDFUA-1', '7.2-10', 'SETR', 'TR element may contain only TH and TD elements'),
    ('PDFUA-1', '7.2-11', 'SETable', 'Table element should contain zero or one THead kid'),
    ('PDFUA-1', '7.2-12', 'SETable', 'Table element should contain zero or one TFoot kid'),
    ('PDFUA-1', '7.2-13', 'SETable', 'If Table element contains TFoot kid, Table element should contain one or more TBody kids'),
    ('PDFUA-1', '7.2-14', 'SETable', 'If Table element contains THead kid, Table element should contain one or more TBody kids'),
    ('PDFUA-1', '7.2-15', 'SETableCell', 'A table cell shall not have intersection with other cells'),
    ('PDFUA-1', '7.2-16', 'SETable', 'Table element may contain a Caption element as its first or last kid'),
    ('PDFUA-1', '7.2-17', 'SELI', 'LI element should be contained in L element'),
    ('PDFUA-1', '7.2-18', 'SELBody', 'LBody element should be contained in LI element'),
    ('PDFUA-1', '7.2-19', 'SEL', 'L element may contain only L, LI and Caption elements'),
    ('PDFUA-1', '7.2-20', 'SELI', 'LI element may contain only Lbl and LBody elements'),
    ('PDFUA-1', '7.2-21', 'PDStructElem', 'Natural language for text in ActualText attribute shall be determined'),
    ('PDFUA-1', '7.2-22', 'PDStructElem', 'Natural language for text in Alt attribute shall be determined'),
    ('PDFUA-1', '7.2-23', 'PDStructElem', 'Natural language for text in E attribute shall be determined'),
    ('PDFUA-1', '7.2-24', 'PDAnnot', 'Natural language in the Contents entry for annotations shall be determined'),
    ('PDFUA-1', '7.2-25', 'PDFormField', 'Natural language in the TU key for form fields shall be determined'),
    ('PDFUA-1', '7.2-26', 'SETOCI', 'TOCI element should be contained in TOC element'),
    ('PDFUA-1', '7.2-27', 'SETOC', 'TOC element may contain only TOC, TOCI and Caption elements'),
    ('PDFUA-1', '7.2-28', 'SETOC', 'TOC element may contain a Caption element only as its first kid'),
    ('PDFUA-1', '7.2-29', 'CosLang', "If the Lang entry is present in the document's Catalog dictionary or in a structure element dictionary or…"),
    ('PDFUA-1', '7.2-30', 'SEMarkedContent', 'Natural language for text in ActualText attribute in Span Marked Content shall be determined'),
    ('PDFUA-1', '7.2-31', 'SEMarkedContent', 'Natural language for text in Alt attribute in Span Marked Content shall be determined'),
    ('PDFUA-1', '7.2-32', 'SEMarkedContent', 'Natural language for text in E attribute in Span Marked Content shall be determined'),
    ('PDFUA-1', '7.2-33', 'XMPLangAlt', 'Natural language for document metadata shall be determined'),
    ('PDFUA-1', '7.2-34', 'SETextItem', 'Natural language for text in page content shall be determined'),
    ('PDFUA-1', '7.2-36', 'SETHead', 'THead element may contain only TR elements'),
    ('PDFUA-1', '7.2-37', 'SETBody', 'TBody element may contain only TR elements'),
    ('PDFUA-1', '7.2-38', 'SETFoot', 'TFoot element may contain only TR elements'),
    ('PDFUA-1', '7.2-39', 'SETable', 'Table element may contain only one Caption element'),
    ('PDFUA-1', '7.2-40', 'SEL', 'L element may contain a Caption element only as its first kid'),
    ('PDFUA-1', '7.2-41', 'SETable', 'Table columns shall have the same number of rows (taking into account row spans)'),
    ('PDFUA-1', '7.2-42', 'SETable', 'Table rows shall have the same number of columns (taking into account column spans)'),
    ('PDFUA-1', '7.2-43', 'SETable', 'Table rows shall have the same number of columns (taking into account column spans)'),
    ('PDFUA-1', '7.3-1', 'SEFigure', 'Figure tags shall include an alternative representation or replacement text that represents the contents…'),
    ('PDFUA-1', '7.4.2-1', 'SEHn', 'For documents that are not strongly structured, heading tags shall be used as follows: (*) If any heading…'),
    ('PDFUA-1', '7.4.4-1', 'PDStructElem', 'Each node in the tag tree shall contain at most one child H tag'),
    ('PDFUA-1', '7.4.4-2', 'SEH', 'All documents shall be either strongly or weakly structured, but not both'),
    ('PDFUA-1', '7.4.4-3', 'SEHn', 'All documents shall be either strongly or weakly structured, but not both'),
    ('PDFUA-1', '7.5-1', 'SETD', "If the table's structure is not determinable via Headers and IDs, then structure elements of type TH shall…"),
    ('PDFUA-1', '7.5-2', 'SETD', "If the table's structure is not determinable via Headers and IDs, then structure elements of type TH shall…"),
    ('PDFUA-1', '7.7-1', 'SEFormula', 'All mathematical expressions shall be enclosed within a Formula tag as detailed in and shall have Alt or…'),
    ('PDFUA-1', '7.9-1', 'SENote', 'Note tag shall have ID entry'),
    ('PDFUA-1', '7.9-2', 'SENote', 'Each Note tag shall have unique ID key'),
    ('PDFUA-1', '7.10-1', 'PDOCConfig', 'Each optional content configuration dictionary that forms the value of the D key, or that is an element in…'),
    ('PDFUA-1', '7.10-2', 'PDOCConfig', 'The AS key shall not appear in any optional content configuration dictionary'),
    ('PDFUA-1', '7.11-1', 'CosFileSpecification', 'The file specification dictionary for an embedded file shall contain the non-empty F and UF keys'),
    ('PDFUA-1', '7.15-1', 'PDAcroForm', 'Dynamic XFA forms shall not be used'),
    ('PDFUA-1', '7.16-1', 'PDEncryption', 'An encrypted conforming file shall contain a P key in its encryption dictionary'),
    ('PDFUA-1', '7.18.1-1', 'PDAnnot', 'An annotation, excluding annotations of subtype Widget, PrinterMark or Link, shall be nested within an…'),
    ('PDFUA-1', '7.18.1-2', 'PDAnnot', 'An annotation (except Widget annotations or hidden annotations, or those having rectangle outside the…'),
    ('PDFUA-1', '7.18.1-3', 'PDWidgetAnnot', 'A form field shall have a TU key present or all its Widget annotations shall have alternative descriptions…'),
    ('PDFUA-1', '7.18.2-1', 'PDTrapNetAnnot', 'Annotations of subtype TrapNet shall not be permitted'),
    ('PDFUA-1', '7.18.3-1', 'PDPage', 'Every page on which there is an annotation shall contain in its page dictionary the key Tabs, and its…'),
    ('PDFUA-1', '7.18.4-1', 'PDWidgetAnnot', 'A Widget annotation shall be nested within a Form tag per'),
    ('PDFUA-1', '7.18.4-2', 'SEForm', 'If the Form element omits a Role attribute (Table 348), it shall have only one child: an object reference…'),
    ('PDFUA-1', '7.18.5-1', 'PDLinkAnnot', 'Links shall be tagged according to, Link Element'),
    ('PDFUA-1', '7.18.5-2', 'PDLinkAnnot', 'Links shall contain an alternate description via their Contents key'),
    ('PDFUA-1', '7.18.6.2-1', 'PDMediaClip', 'In the media clip data dictionary, the optional CT key is required'),
    ('PDFUA-1', '7.18.6.2-2', 'PDMediaClip', 'In the media clip data dictionary, the optional Alt key is required'),
    ('PDFUA-1', '7.18.8-1', 'PDPrinterMarkAnnot', 'PrinterMark annotations, if present, shall be considered Incidental Artifacts, as if they are hidden page…'),
    ('PDFUA-1', '7.20-1', 'PDXForm', 'A conforming file shall not contain any reference XObjects'),
    ('PDFUA-1', '7.20-2', 'PDXForm', 'The content of Form XObjects shall be incorporated into structure elements according to'),
    ('PDFUA-1', '7.21.3.1-1', 'PDType0Font', 'For any given composite (Type 0) font within a conforming file, the CIDSystemInfo entry in its CIDFont…'),
    ('PDFUA-1', '7.21.3.2-1', 'PDCIDFont', ' requires that all embedded Type 2 CIDFonts in the CIDFont dictionary shall contain a CIDToGIDMap entry…'),
    ('PDFUA-1', '7.21.3.3-1', 'PDCMap', 'All CMaps used within a PDF/UA file, except those listed in, shall be embedded in that file'),
    ('PDFUA-1', '7.21.3.3-2', 'CMapFile', 'For those CMaps that are embedded, the integer value of the WMode entry in the CMap dictionary shall be…'),
    ('PDFUA-1', '7.21.3.3-3', 'PDReferencedCMap', 'A CMap shall not reference any other CMap except those listed in'),
    ('PDFUA-1', '7.21.4.1-1', 'PDFont', 'The font programs for all fonts used for rendering within a conforming file shall be embedded within that file'),
    ('PDFUA-1', '7.21.4.1-2', 'Glyph', 'Embedded fonts shall define all glyphs referenced for rendering within the conforming file'),
    ('PDFUA-1', '7.21.4.2-1', 'PDType1Font', 'If the FontDescriptor dictionary of an embedded Type 1 font contains a CharSet string, then it shall list…'),
    ('PDFUA-1', '7.21.4.2-2', 'PDCIDFont', 'If the FontDescriptor dictionary of an embedded CID font contains a CIDSet stream, then it shall identify…'),
    ('PDFUA-1', '7.21.5-1', 'Glyph', 'For every font embedded in a conforming file and used for rendering, the glyph width information in the…'),
    ('PDFUA-1', '7.21.6-1', 'TrueTypeFontProgram', 'For all non-symbolic TrueType fonts used for rendering, the embedded TrueType font program shall contain…'),
    ('PDFUA-1', '7.21.6-2', 'PDTrueTypeFont', 'All non-symbolic TrueType fonts shall have either MacRomanEncoding or WinAnsiEncoding as the value for the…'),
    ('PDFUA-1', '7.21.6-3', 'PDTrueTypeFont', 'Symbolic TrueType fonts shall not contain an Encoding entry in the font dictionary'),
    ('PDFUA-1', '7.21.6-4', 'TrueTypeFontProgram', "The 'cmap' table in the embedded font program for a symbolic TrueType font shall contain either exactly…"),
    ('PDFUA-1', '7.21.7-1', 'Glyph', 'The Font dictionary of all fonts shall define the map of all used character codes to Unicode values,…'),
    ('PDFUA-1', '7.21.7-2', 'Glyph', 'The Unicode values specified in the ToUnicode CMap shall all be greater than zero (0), but not equal to…'),
    ('PDFUA-1', '7.21.8-1', 'Glyph', 'A PDF/UA compliant document shall not contain a reference to the .notdef glyph from any of the text…'),
    ('PDFA-2U', '6.1.2-1', 'CosDocument', 'The file header shall begin at byte zero and shall consist of "%PDF-1.n" followed by a single EOL marker,…'),
    ('PDFA-2U', '6.1.2-2', 'CosDocument', 'The aforementioned EOL marker shall be immediately followed by a % (25h) character followed by at least…'),
    ('PDFA-2U', '6.1.3-1', 'CosDocument', 'The file trailer dictionary shall contain the ID keyword whose value shall be File Identifiers'),
    ('PDFA-2U', '6.1.3-2', 'CosTrailer', 'The keyword Encrypt shall not be used in the trailer dictionary'),
    ('PDFA-2U', '6.1.3-3', 'CosDocument', 'No data can follow the last end-of-file marker except a single optional end-of-line marker'),
    ('PDFA-2U', '6.1.4-2', 'CosXRef', 'The xref keyword and the cross-reference subsection header shall be separated by a single EOL marker'),
    ('PDFA-2U', '6.1.6-1', 'CosString', 'Hexadecimal strings shall contain an even number of non-white-space characters'),
    ('PDFA-2U', '6.1.6-2', 'CosString', 'A hexadecimal string is written as a sequence of hexadecimal digits (0–9 and either A–F or a–f)'),
    ('PDFA-2U', '6.1.7.1-1', 'CosStream', 'The value of the Length key specified in the stream dictionary shall match the number of bytes in the file…'),
    ('PDFA-2U', '6.1.7.1-2', 'CosStream', 'The stream keyword shall be followed either by a CARRIAGE RETURN (0Dh) and LINE FEED (0Ah) character…'),
    ('PDFA-2U', '6.1.7.1-3', 'CosStream', 'A stream dictionary shall not contain the F, FFilter, or FDecodeParms keys'),
    ('PDFA-2U', '6.1.7.2-1', 'CosFilter', 'All standard stream filters listed in may be used, with the exception of LZWDecode'),
    ('PDFA-2U', '6.1.8-1', 'CosUnicodeName', 'Font names, names of colourants in Separation and DeviceN colour spaces, and structure type names, after…'),
    ('PDFA-2U', '6.1.9-1', 'CosIndirect', 'The object number and generation number shall be separated by a single white-space character'),
    ('PDFA-2U', '6.1.10-1', 'CosIIFilter', 'The value of the F key in the Inline Image dictionary shall not be LZW, LZWDecode, Crypt, a value not…'),
    ('PDFA-2U', '6.1.12-1', 'PDPerms', 'No keys other than UR3 and DocMDP shall be present in a permissions dictionary'),
    ('PDFA-2U', '6.1.12-2', 'PDSigRef', 'If DocMDP is present, then the Signature References dictionary shall not contain the keys DigestLocation,…'),
    ('PDFA-2U', '6.1.13-1', 'CosInteger', 'A conforming file shall not contain any integer greater than 2147483647'),
    ('PDFA-2U', '6.1.13-2', 'CosReal', 'A conforming file shall not contain any real number outside the range of +/-3.403 x 10^38'),
    ('PDFA-2U', '6.1.13-3', 'CosString', 'A conforming file shall not contain any string longer than 32767 bytes'),
    ('PDFA-2U', '6.1.13-4', 'CosName', 'A conforming file shall not contain any name longer than 127 bytes'),
    ('PDFA-2U', '6.1.13-5', 'CosReal', 'A conforming file shall not contain any real number closer to zero than +/-1.175 x 10^(-38)'),
    ('PDFA-2U', '6.1.13-7', 'CosDocument', 'A conforming file shall not contain more than 8388607 indirect objects'),
    ('PDFA-2U', '6.1.13-8', 'Op_q_gsave', 'A conforming file shall not nest q/Q pairs by more than 28 nesting levels'),
    ('PDFA-2U', '6.1.13-9', 'PDDeviceN', 'A conforming file shall not contain a DeviceN colour space with more than 32 colourants'),
    ('PDFA-2U', '6.1.13-10', 'CMapFile', 'A conforming file shall not contain a CID value greater than 65535'),
    ('PDFA-2U', '6.1.13-11', 'CosBBox', 'The size of any of the page boundaries described in shall not be less than 3 units in either direction,…'),
    ('PDFA-2U', '6.2.2-1', 'Op_Undefined', 'Content streams shall not contain any operators not defined in ISO 32000-1 even if such operators are…'),
    ('PDFA-2U', '6.2.2-2', 'PDContentStream', 'A content stream that references other objects, such as images and fonts that are necessary to fully…'),
    ('PDFA-2U', '6.2.3-1', 'ICCOutputProfile', 'The profile stream that is the value of the DestOutputProfile key shall either be an output profile…'),
    ('PDFA-2U', '6.2.3-2', 'OutputIntents', "If a file's OutputIntents array contains more than one entry, as might be the case where a file is…"),
    ('PDFA-2U', '6.2.3-3', 'PDOutputIntent', 'In addition, the DestOutputProfileRef key, as defined in ISO 15930-7:2010, Annex A, shall not be present…'),
    ('PDFA-2U', '6.2.4.2-1', 'ICCInputProfile', 'The profile that forms the stream of an ICCBased colour space shall conform to ICC.1:1998-09,…'),
    ('PDFA-2U', '6.2.4.2-2', 'PDICCBasedCMYK', 'Overprint mode (as set by the OPM value in an ExtGState dictionary) shall not be one (1) when an ICCBased…'),
    ('PDFA-2U', '6.2.4.3-2', 'PDDeviceRGB', 'DeviceRGB shall only be used if a device independent DefaultRGB colour space has been set when the…'),
    ('PDFA-2U', '6.2.4.3-3', 'PDDeviceCMYK', 'DeviceCMYK shall only be used if a device independent DefaultCMYK colour space has been set or if a…'),
    ('PDFA-2U', '6.2.4.3-4', 'PDDeviceGray', 'DeviceGray shall only be used if a device independent DefaultGray colour space has been set when the…'),
    ('PDFA-2U', '6.2.4.4-1', 'PDDeviceN', 'For any spot colour used in a DeviceN or NChannel colour space, an entry in the Colorants dictionary shall…'),
    ('PDFA-2U', '6.2.4.4-2', 'PDSeparation', 'All Separation arrays within a single PDF/A-2 file (including those in Colorants dictionaries) that have…'),
    ('PDFA-2U', '6.2.5-1', 'PDExtGState', 'An ExtGState dictionary shall not contain the TR key'),
    ('PDFA-2U', '6.2.5-2', 'PDExtGState', 'An ExtGState dictionary shall not contain the TR2 key with a value other than Default'),
    ('PDFA-2U', '6.2.5-3', 'PDExtGState', 'An ExtGState dictionary shall not contain the HTP key'),
    ('PDFA-2U', '6.2.5-4', 'PDHalftone', 'All halftones in a conforming PDF/A-2 file shall have the value 1 or 5 for the HalftoneType key'),
    ('PDFA-2U', '6.2.5-5', 'PDHalftone', 'Halftones in a conforming PDF/A-2 file shall not contain a HalftoneName key'),
    ('PDFA-2U', '6.2.5-6', 'PDHalftone', 'The TransferFunction key in a halftone dictionary shall be used only as required by ISO 32000-1'),
    ('PDFA-2U', '6.2.6-1', 'CosRenderingIntent', 'Where a rendering intent is specified, its value shall be one of the four values defined in ISO…'),
    ('PDFA-2U', '6.2.8-1', 'PDXImage', 'An Image dictionary shall not contain the Alternates key'),
    ('PDFA-2U', '6.2.8-2', 'PDXImage', 'An Image dictionary shall not contain the OPI key'),
    ('PDFA-2U', '6.2.8-3', 'PDXImage', 'If an Image dictionary contains the Interpolate key, its value shall be false'),
    ('PDFA-2U', '6.2.8-4', 'PDXImage', 'If an Image dictionary contains the BitsPerComponent key, its value shall be 1, 2, 4, 8 or 16'),
    ('PDFA-2U', '6.2.8-5', 'PDMaskImage', 'If an image mask dictionary contains the BitsPerComponent key, its value shall be 1'),
    ('PDFA-2U', '6.2.8.3-1', 'JPEG2000', 'The number of colour channels in the JPEG2000 data shall be 1, 3 or 4'),
    ('PDFA-2U', '6.2.8.3-2', 'JPEG2000', 'If the number of colour space specifications in the JPEG2000 data is greater than 1, there shall be…'),
    ('PDFA-2U', '6.2.8.3-3', 'JPEG2000', "The value of the METH entry in its 'colr' box shall be 0x01, 0x02 or 0x03"),
    ('PDFA-2U', '6.2.8.3-4', 'JPEG2000', 'JPEG2000 enumerated colour space 19 (CIEJab) shall not be used'),
    ('PDFA-2U', '6.2.8.3-5', 'JPEG2000', 'The bit-depth of the JPEG2000 data shall have a value in the range 1 to 38'),
    ('PDFA-2U', '6.2.9-1', 'PDXForm', 'A form XObject dictionary shall not contain any of the following: - the OPI key; - the Subtype2 key with a…'),
    ('PDFA-2U', '6.2.9-2', 'PDXForm', 'A conforming file shall not contain any reference XObjects'),
    ('PDFA-2U', '6.2.9-3', 'PDXObject', 'A conforming file shall not contain any PostScript XObjects'),
    ('PDFA-2U', '6.2.10-1', 'CosBM', 'Only blend modes that are specified in ISO 32000-1:2008 shall be used for the value of the BM key in an…'),
    ('PDFA-2U', '6.2.10-2', 'PDPage', 'If the document does not contain a PDF/A OutputIntent, then all Page objects that contain transparency…'),
    ('PDFA-2U', '6.2.11.2-1', 'PDFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-2', 'PDFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-3', 'PDFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-4', 'PDSimpleFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-5', 'PDSimpleFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-6', 'PDSimpleFont', 'All fonts and font programs used in a conforming file, regardless of rendering mode usage, shall conform…'),
    ('PDFA-2U', '6.2.11.2-7', 'PDFont', 'All fonts used in a conforming file shall conform to the font specifications defined in PDF Reference 5.5'),
    ('PDFA-2U', '6.2.11.3.1-1', 'PDType0Font', 'For any given composite (Type 0) font within a conforming file, the CIDSystemInfo entry in its CIDFont…'),
    ('PDFA-2U', '6.2.11.3.2-1', 'PDCIDFont', ' requires that all embedded Type 2 CIDFonts in the CIDFont dictionary shall contain a CIDToGIDMap entry…'),
    ('PDFA-2U', '6.2.11.3.3-1', 'PDCMap', 'All CMaps used within a PDF/A-2 file, except those listed in, shall be embedded in that file'),
    ('PDFA-2U', '6.2.11.3.3-2', 'CMapFile', 'For those CMaps that are embedded, the integer value of the WMode entry in the CMap dictionary shall be…'),
    ('PDFA-2U', '6.2.11.3.3-3', 'PDReferencedCMap', 'A CMap shall not reference any other CMap except those listed in'),
    ('PDFA-2U', '6.2.11.4.1-1', 'PDFont', 'The font programs for all fonts used for rendering within a conforming file shall be embedded within that file'),
    ('PDFA-2U', '6.2.11.4.1-2', 'Glyph', 'Embedded fonts shall define all glyphs referenced for rendering within the conforming file'),
    ('PDFA-2U', '6.2.11.4.2-1', 'PDType1Font', 'If the FontDescriptor dictionary of an embedded Type 1 font contains a CharSet string, then it shall list…'),
    ('PDFA-2U', '6.2.11.4.2-2', 'PDCIDFont', 'If the FontDescriptor dictionary of an embedded CID font contains a CIDSet stream, then it shall identify…'),
    ('PDFA-2U', '6.2.11.5-1', 'Glyph', 'For every font embedded in a conforming file and used for rendering, the glyph width information in the…'),
    ('PDFA-2U', '6.2.11.6-1', 'TrueTypeFontProgram', 'For all non-symbolic TrueType fonts used for rendering, the embedded TrueType font program shall contain…'),
    ('PDFA-2U', '6.2.11.6-2', 'PDTrueTypeFont', 'All non-symbolic TrueType fonts shall have either MacRomanEncoding or WinAnsiEncoding as the value for the…'),
    ('PDFA-2U', '6.2.11.6-3', 'PDTrueTypeFont', 'Symbolic TrueType fonts shall not contain an Encoding entry in the font dictionary'),
    ('PDFA-2U', '6.2.11.6-4', 'TrueTypeFontProgram', "The 'cmap' table in the embedded font program for a symbolic TrueType font shall contain either exactly…"),
    ('PDFA-2U', '6.2.11.7.2-1', 'Glyph', 'The Font dictionary of all fonts shall define the map of all used character codes to Unicode values,…'),
    ('PDFA-2U', '6.2.11.7.2-2', 'Glyph', 'The Unicode values specified in the ToUnicode CMap shall all be greater than zero (0), but not equal to…'),
    ('PDFA-2U', '6.2.11.8-1', 'Glyph', 'A PDF/A-2 compliant document shall not contain a reference to the .notdef glyph from any of the text…'),
    ('PDFA-2U', '6.3.1-1', 'PDAnnot', 'Annotation types not defined in ISO 32000-1 shall not be permitted'),
    ('PDFA-2U', '6.3.2-1', 'PDAnnot', 'Except for annotation dictionaries whose Subtype value is Popup, all annotation dictionaries shall contain…'),
    ('PDFA-2U', '6.3.2-2', 'PDAnnot', "If present, the F key's Print flag bit shall be set to 1 and its Hidden, Invisible, ToggleNoView, and…"),
    ('PDFA-2U', '6.3.3-1', 'PDAnnot', 'Every annotation (including those whose Subtype value is Widget, as used for form fields), except for the…'),
    ('PDFA-2U', '6.3.3-2', 'PDAnnot', 'For all annotation dictionaries containing an AP key, the appearance dictionary that it defines as its…'),
    ('PDFA-2U', '6.3.3-3', 'PDAnnot', "If an annotation dictionary's Subtype key has a value of Widget and its FT key has a value of Btn, the…"),
    ('PDFA-2U', '6.3.3-4', 'PDAnnot', "If an annotation dictionary's Subtype key has value other than Widget, or if FT key associated with Widget…"),
    ('PDFA-2U', '6.4.1-1', 'PDWidgetAnnot', 'A Widget annotation dictionary shall not contain the A or AA keys'),
    ('PDFA-2U', '6.4.1-2', 'PDFormField', 'A Field dictionary shall not contain the A or AA keys'),
    ('PDFA-2U', '6.4.1-3', 'PDAcroForm', 'The NeedAppearances flag of the interactive form dictionary shall either not be present or shall be false'),
    ('PDFA-2U', '6.4.2-1', 'PDAcroForm', "The document's interactive form dictionary that forms the value of the AcroForm key in the document's…"),
    ('PDFA-2U', '6.4.2-2', 'CosDocument', "A document's Catalog shall not contain the NeedsRendering key"),
    ('PDFA-2U', '6.4.3-1', 'PDSignature', 'When computing the digest for the file, it shall be computed over the entire file, including the signature…'),
    ('PDFA-2U', '6.4.3-2', 'PKCSDataObject', 'The PDF Signature (a DER-encoded PKCS#7 binary data object) shall be placed into the Contents entry of the…'),
    ('PDFA-2U', '6.4.3-3', 'PKCSDataObject', 'The PDF Signature (a DER-encoded PKCS#7 binary data object) shall be placed into the Contents entry of the…'),
    ('PDFA-2U', '6.5.1-1', 'PDAction', 'The Launch, Sound, Movie, ResetForm, ImportData, Hide, SetOCGState, Rendition, Trans, GoTo3DView and…'),
    ('PDFA-2U', '6.5.1-2', 'PDNamedAction', 'Named actions other than NextPage, PrevPage, FirstPage, and LastPage shall not be permitted'),
    ('PDFA-2U', '6.5.2-1', 'PDDocument', "The document's Catalog shall not include an AA entry for an additional-actions dictionary"),
    ('PDFA-2U', '6.5.2-2', 'PDPage', 'The Page dictionary shall not include an AA entry for an additional-actions dictionary'),
    ('PDFA-2U', '6.6.2.1-1', 'PDDocument', 'The Catalog dictionary of a conforming file shall contain the Metadata key whose value is a metadata…'),
    ('PDFA-2U', '6.6.2.1-2', 'XMPPackage', 'The bytes attribute shall not be used in the header of an XMP packet'),
    ('PDFA-2U', '6.6.2.1-3', 'XMPPackage', 'The encoding attribute shall not be used in the header of an XMP packet'),
    ('PDFA-2U', '6.6.2.1-4', 'XMPPackage', 'All metadata streams present in the PDF shall conform to the XMP Specification'),
    ('PDFA-2U', '6.6.2.1-5', 'XMPPackage', 'All metadata streams present in the PDF shall conform to the XMP Specification'),
    ('PDFA-2U', '6.6.2.3.1-1', 'XMPProperty', 'All properties specified in XMP form shall use either the predefined schemas defined in the XMP…'),
    ('PDFA-2U', '6.6.2.3.1-2', 'XMPProperty', 'All properties specified in XMP form shall use either the predefined schemas defined in the XMP…'),
    ('PDFA-2U', '6.6.2.3.2-1', 'ExtensionSchemaObject', 'Extension schemas shall be specified using the PDF/A extension schema container schema defined in 6.6.2.3.3'),
    ('PDFA-2U', '6.6.2.3.3-1', 'ExtensionSchemasContainer', 'The extension schema container schema uses the namespace URI "http://www.aiim.org/pdfa/ns/extension/"'),
    ('PDFA-2U', '6.6.2.3.3-2', 'ExtensionSchemaDefinition', "Field 'schema' of the PDF/A Schema value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-3', 'ExtensionSchemaDefinition', "Field 'namespaceURI' of the PDF/A Schema value type in the PDF/A extension schema shall be present and…"),
    ('PDFA-2U', '6.6.2.3.3-4', 'ExtensionSchemaDefinition', "Field 'prefix' of the PDF/A Schema value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-5', 'ExtensionSchemaDefinition', "Field 'property' of the PDF/A Schema value type in the PDF/A extension schema shall have type Seq Property…"),
    ('PDFA-2U', '6.6.2.3.3-6', 'ExtensionSchemaDefinition', "Field 'valueType' of the PDF/A Schema value type in the PDF/A extension schema shall have type Seq…"),
    ('PDFA-2U', '6.6.2.3.3-7', 'ExtensionSchemaProperty', "Field 'name' of the PDF/A Property value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-8', 'ExtensionSchemaProperty', "Field 'valueType' of the PDF/A Property value type in the PDF/A extension schema shall be present and…"),
    ('PDFA-2U', '6.6.2.3.3-9', 'ExtensionSchemaProperty', "Field 'category' of the PDF/A Property value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-10', 'ExtensionSchemaProperty', "Field 'description' of the PDF/A Property value type in the PDF/A extension schema shall be present and…"),
    ('PDFA-2U', '6.6.2.3.3-11', 'ExtensionSchemaValueType', "Field 'type' of the PDF/A ValueType value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-12', 'ExtensionSchemaValueType', "Field 'namespaceURI' of the PDF/A ValueType value type in the PDF/A extension schema shall be present and…"),
    ('PDFA-2U', '6.6.2.3.3-13', 'ExtensionSchemaValueType', "Field 'prefix' of the PDF/A ValueType value type in the PDF/A extension schema shall be present and shall…"),
    ('PDFA-2U', '6.6.2.3.3-14', 'ExtensionSchemaValueType', "Field 'description' of the PDF/A ValueType value type in the PDF/A extension schema shall be present and…"),
    ('PDFA-2U', '6.6.2.3.3-15', 'ExtensionSchemaValueType', "Field 'field' of the PDF/A ValueType value type in the PDF/A extension schema shall have type Seq Field…"),
    ('PDFA-2U', '6.6.2.3.3-16', 'ExtensionSchemaField', "Field 'name' of the PDF/A Field value type in the PDF/A extension schema shall have type Text and…"),
    ('PDFA-2U', '6.6.2.3.3-17', 'ExtensionSchemaField', "Field 'valueType' of the PDF/A Field value type in the PDF/A extension schema shall have type Text and…"),
    ('PDFA-2U', '6.6.2.3.3-18', 'ExtensionSchemaField', "Field 'description' of the PDF/A Field value type in the PDF/A extension schema shall have type Text and…"),
    ('PDFA-2U', '6.6.4-1', 'MainXMPPackage', 'The PDF/A version and conformance level of a file shall be specified using the PDF/A Identification…'),
    ('PDFA-2U', '6.6.4-2', 'PDFAIdentification', 'The value of "pdfaid:part" shall be the part number of ISO 19005 to which the file conforms'),
    ('PDFA-2U', '6.6.4-3', 'PDFAIdentification', 'A Level A conforming file shall specify the value of "pdfaid:conformance" as A'),
    ('PDFA-2U', '6.6.4-4', 'PDFAIdentification', 'Property "part" of the PDF/A Identification Schema shall have namespace prefix "pdfaid"'),
    ('PDFA-2U', '6.6.4-5', 'PDFAIdentification', 'Property "conformance" of the PDF/A Identification Schema shall have namespace prefix "pdfaid"'),
    ('PDFA-2U', '6.6.4-6', 'PDFAIdentification', 'Property "amd" of the PDF/A Identification Schema shall have namespace prefix "pdfaid"'),
    ('PDFA-2U', '6.6.4-7', 'PDFAIdentification', 'Property "corr" of the PDF/A Identification Schema shall have namespace prefix "pdfaid"'),
    ('PDFA-2U', '6.8-2', 'CosFileSpecification', 'The file specification dictionary for an embedded file shall contain the F and UF keys'),
    ('PDFA-2U', '6.8-5', 'EmbeddedFile', 'A file specification dictionary, may contain the EF key, provided that the embedded file is compliant with…'),
    ('PDFA-2U', '6.9-1', 'PDOCConfig', 'Each optional content configuration dictionary that forms the value of the D key, or that is an element in…'),
    ('PDFA-2U', '6.9-2', 'PDOCConfig', 'Each optional content configuration dictionary shall contain the Name key, whose value shall be unique…'),
    ('PDFA-2U', '6.9-3', 'PDOCConfig', 'If an optional content configuration dictionary contains the Order key, the array which is the value of…'),
    ('PDFA-2U', '6.9-4', 'PDOCConfig', 'The AS key shall not appear in any optional content configuration dictionary'),
    ('PDFA-2U', '6.10-1', 'PDDocument', "There shall be no AlternatePresentations entry in the document's name dictionary"),
    ('PDFA-2U', '6.10-2', 'PDPage', 'There shall be no PresSteps entry in any Page dictionary'),
    ('PDFA-2U', '6.11-1', 'CosDocument', 'The document catalog shall not contain the Requirements key'),
]

# Checks of our own: what ISO 32000-1 requires for the two profiles' rules
# to mean anything (the parent tree a reader uses to go from content to
# structure), and what issue 10 asks beyond the profiles.
EXTRA_RULES = [
    ('EXTRA', 'tree-1', 'StructTreeRoot', 'StructTreeRoot has a ParentTree and a ParentTreeNextKey (ISO 32000-1 14.7.2, Table 322)'),
    ('EXTRA', 'tree-2', 'PDPage', 'Every page has StructParents (ISO 32000-1 14.7.4.4)'),
    ('EXTRA', 'tree-3', 'SEMarkedContent', "Every MCID of a page is its ParentTree entry's element of that index, which references it (14.7.4.4)"),
    ('EXTRA', 'tree-4', 'PDAnnot', 'Every annotation has a StructParent whose ParentTree entry is the element holding its OBJR (14.7.4.4)'),
    ('EXTRA', 'tree-5', 'StructTreeRoot', 'ParentTreeNextKey is greater than every key of the ParentTree (14.7.4.4)'),
    ('EXTRA', 'tree-6', 'SEMarkedContent', 'An MCID is used once per content stream and referenced by exactly one structure element (14.7.4.2)'),
    ('EXTRA', 'tree-7', 'PDStructElem', 'The P entry of every structure element is the element (or root) whose K holds it (14.7.2)'),
    ('EXTRA', 'table-1', 'SETable', 'Every TH has a Scope, or every TD names its headers by Headers/ID (issue 10; PDF/UA-2 8.2.5.26)'),
    ('EXTRA', 'lang-1', 'CosDocument', 'The catalog has a Lang (issue 10)'),
    ('EXTRA', 'xmp-1', 'MainXMPPackage', 'Info and XMP agree: Title, Author, Subject, Keywords, Creator, Producer, dates (ISO 16684-1; issue 10)'),
    ('EXTRA', 'xmp-2', 'MainXMPPackage', 'XMP has dc:title, dc:creator, dc:language, xmp:CreateDate, xmp:ModifyDate, pdf:Producer (issue 10)'),
    ('EXTRA', 'oi-1', 'OutputIntents', 'A GTS_PDFA1 OutputIntent whose DestOutputProfile N matches its ICC colour space (ISO 32000-1 14.11.5)'),
    ('EXTRA', 'font-1', 'TrueTypeFontProgram', 'Embedded TrueType programs have head, hhea, hmtx, maxp, loca, glyf and no zero-length table (ISO 32000-1 9.9)'),
    ('EXTRA', 'font-2', 'PDFont', 'Subset tags are six capital letters and differ between the subsets of a file (ISO 32000-1 9.6.4)'),
]

# Conditions of ISO 14289-1 (PDF/UA-1) and ISO 19005-2 that no program can
# decide: a person checks them (the Matterhorn Protocol's "human" checks).
HUMAN = [
    '7.1: real content is tagged and decoration is an Artifact as the reader experiences it (what is a rule, fill, arrow or frame)',
    '7.1: the structure types are semantically appropriate (a heading is tagged H, a label Lbl, a table Table)',
    '7.2: the logical reading order of the structure tree is the order a reader needs (the form read as a person reads it)',
    '7.2: the natural language is right where it changes (a passage in English inside Japanese text has its own Lang)',
    '7.3: alternative text of figures is meaningful; ActualText is the text the glyphs show',
    '7.4: headings are used where the content has headings, and their levels follow its outline',
    '7.5: header cells are the right cells, and a TD is associated with the headers a reader needs',
    '7.6: lists are tagged as lists when the content is a list (numbered items, the grade legend)',
    '7.1: colour, contrast or position is not the only way information is conveyed (the red review frames say in text what changed)',
    '7.1: the document title (dc:title) clearly identifies the document',
    '7.18.5: link text and Contents say where a link goes',
    'the bookmarks (outline) match the document structure (the book)',
]

# ---- rules and results ---------------------------------------------------------

ALL_RULES = RULES + EXTRA_RULES
RULE_INDEX = {(p, i): (obj, d) for p, i, obj, d in ALL_RULES}


class Report:
    """Per rule: was the object it applies to present (else N/A), and its failures."""

    def __init__(self):
        self.seen = set()
        self.fails = {}

    def check(self, key, cond, where=''):
        if key not in RULE_INDEX:
            raise KeyError(key)
        self.seen.add(key)
        if not cond:
            self.fails.setdefault(key, []).append(where)
        return cond

    def ua(self, rid, cond, where=''):
        return self.check(('PDFUA-1', rid), cond, where)

    def a(self, rid, cond, where=''):
        return self.check(('PDFA-2U', rid), cond, where)

    def x(self, rid, cond, where=''):
        return self.check(('EXTRA', rid), cond, where)

    def unsupported(self, key, where):
        """The object a rule applies to is present but this script does not
        evaluate the rule: never a silent pass."""
        self.check(key, False, f'{where} is present; conformance.py does not evaluate this rule: check with veraPDF')

    def lines(self):
        out = []
        for p, i, obj, d in ALL_RULES:
            key = (p, i)
            if key in self.fails:
                f = self.fails[key]
                shown = '; '.join(w for w in f[:3] if w)
                more = f' (+{len(f) - 3} more)' if len(f) > 3 else ''
                out.append(f'FAIL {p} {i} {d} — {len(f)}×{": " + shown if shown else ""}{more}')
            elif key in self.seen:
                out.append(f'PASS {p} {i} {d}')
            else:
                out.append(f'N/A {p} {i} {d}')
        return out


# ---- PDF objects from qpdf's JSON ----------------------------------------------

class Name(str):
    """A PDF name (without the slash); .valid is False for a name that is not UTF-8."""
    valid = True


class PStr:
    """A PDF string: .raw bytes and .text (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding)."""

    def __init__(self, raw):
        self.raw = raw

    @property
    def text(self):
        r = self.raw
        if r[:2] == b'\xfe\xff':
            return r[2:].decode('utf-16-be', 'replace')
        if r[:3] == b'\xef\xbb\xbf':
            return r[3:].decode('utf-8', 'replace')
        return r.decode('latin-1')

    def __repr__(self):
        return repr(self.text)


class Ref(tuple):
    def __str__(self):
        return f'{self[0]} {self[1]} R'


class Stream:
    def __init__(self, d, data, ref):
        self.dict = d
        self.data = data
        self.ref = ref

    def get(self, k, default=None):
        return self.dict.get(k, default)


REF_RE = re.compile(r'^(\d+) (\d+) R$')


def convert(v):
    if isinstance(v, dict):
        return {k[1:] if k.startswith('/') else k: convert(x) for k, x in v.items()}
    if isinstance(v, list):
        return [convert(x) for x in v]
    if isinstance(v, str):
        if v.startswith('u:'):
            s = PStr(b'')
            t = v[2:]
            try:
                s.raw = t.encode('latin-1') if all(ord(c) < 128 for c in t) else b'\xfe\xff' + t.encode('utf-16-be')
            except UnicodeEncodeError:
                s.raw = b'\xfe\xff' + t.encode('utf-16-be', 'surrogatepass')
            return s
        if v.startswith('b:'):
            return PStr(bytes.fromhex(v[2:]))
        if v.startswith('/'):
            return Name(v[1:])
        if v.startswith('n:/'):
            n = Name(v[3:])
            n.valid = False
            return n
        m = REF_RE.match(v)
        if m:
            return Ref((int(m.group(1)), int(m.group(2))))
        return v
    return v


class Pdf:
    def __init__(self, path):
        self.path = path
        with open(path, 'rb') as f:
            self.raw = f.read()
        self.objs = {}
        self.orig = {}  # stream dicts as written (Filter, Length, DecodeParms)
        dec = self._qpdf('--json-stream-data=inline', '--decode-level=generalized')
        org = self._qpdf('--json-stream-data=none', '--decode-level=none')
        self.header = dec['qpdf'][0]
        for key, v in dec['qpdf'][1].items():
            if key == 'trailer':
                self.trailer = convert(v.get('value', {}))
                continue
            m = re.match(r'obj:(\d+) (\d+) R', key)
            if not m:
                continue
            ref = Ref((int(m.group(1)), int(m.group(2))))
            if 'stream' in v:
                s = v['stream']
                data = base64.b64decode(s['data']) if s.get('data') is not None else None
                self.objs[ref] = Stream(convert(s.get('dict', {})), data, ref)
                o = org['qpdf'][1].get(key, {})
                self.orig[ref] = convert(o.get('stream', {}).get('dict', {}))
            else:
                self.objs[ref] = convert(v.get('value'))

    def _qpdf(self, *opts):
        p = subprocess.run(['qpdf', '--json=2', '--json-key=qpdf', *opts, self.path],
                           capture_output=True)
        if p.returncode not in (0, 3):
            raise SystemExit(f'{self.path}: error: qpdf cannot read it: {p.stderr.decode(errors="replace").strip()}')
        return json.loads(p.stdout)

    def r(self, v):
        """Resolve an indirect reference (a missing object is null)."""
        seen = 0
        while isinstance(v, Ref) and seen < 32:
            v = self.objs.get(v)
            seen += 1
        return v

    def d(self, v):
        """Resolve to a dictionary ({} for anything else; a stream gives its dictionary)."""
        v = self.r(v)
        if isinstance(v, Stream):
            return v.dict
        return v if isinstance(v, dict) else {}

    def arr(self, v):
        v = self.r(v)
        if v is None:
            return []
        return v if isinstance(v, list) else [v]


def name(v):
    return str(v) if isinstance(v, Name) else None


def text(v):
    return v.text if isinstance(v, PStr) else None


def num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def where_ref(ref):
    return f'object {ref[0]} {ref[1]} R' if isinstance(ref, Ref) else str(ref)


# ---- the file as bytes: header, objects, streams, end --------------------------

WS = b'\x00\t\n\x0c\r '
DELIM = b'()<>[]{}/%'


def lex_body(pdf, rep):
    """Lexical rules of ISO 19005-2 6.1: the header, the objects and streams
    as written, strings, numbers and names outside content streams."""
    raw = pdf.raw
    m = re.match(rb'%PDF-1\.([0-9])(\r\n|\r|\n)', raw)
    first = raw.split(b'\n', 1)[0].split(b'\r', 1)[0]
    rep.ua('6.1-1', bool(re.fullmatch(rb'%PDF-1\.[0-7]', first)), f'header {first[:20]!r}')
    rep.a('6.1.2-1', bool(re.fullmatch(rb'%PDF-1\.[0-7]', first)) and raw.startswith(b'%PDF'),
          f'header {first[:20]!r} at byte {raw.find(b"%PDF")}')
    after = raw[m.end():m.end() + 5] if m else b''
    rep.a('6.1.2-2', len(after) == 5 and after[0:1] == b'%' and all(b > 127 for b in after[1:5]),
          f'second line starts {after!r}, not % and four bytes above 127')
    eof = raw.rfind(b'%%EOF')
    tail = raw[eof + 5:] if eof >= 0 else b'(no %%EOF)'
    rep.a('6.1.3-3', tail in (b'', b'\n', b'\r', b'\r\n'), f'{len(tail)} bytes after the last %%EOF')

    # Classic cross-reference tables: "xref" EOL "0 n".
    for xm in re.finditer(rb'(?<=[\r\n])xref', raw):
        rest = raw[xm.end():xm.end() + 3]
        rep.a('6.1.4-2', re.match(rb'(\r\n|\r|\n)\d', rest) is not None, f'xref at byte {xm.start()}')

    lengths = {}
    for ref, d in pdf.orig.items():
        ln = pdf.r(d.get('Length'))
        lengths[ref] = ln if isinstance(ln, int) else None

    n = len(raw)
    i = m.end() if m else 0
    obj_start = None
    cur = None
    prev_tok_end = 0
    last_dict_stream = None
    nobj = 0
    while i < n:
        c = raw[i]
        if c in WS:
            i += 1
            continue
        if c == 0x25:  # comment
            j = i
            while j < n and raw[j] not in b'\r\n':
                j += 1
            i = j
            continue
        if c == 0x28:  # literal string
            depth, j, out = 1, i + 1, 0
            while j < n and depth:
                b = raw[j]
                if b == 0x5c:
                    j += 2
                    out += 1
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        break
                out += 1
                j += 1
            rep.a('6.1.13-3', out < 32768, f'a string of {out} bytes at byte {i}')
            i = j + 1
            continue
        if raw.startswith(b'<<', i) or raw.startswith(b'>>', i):
            i += 2
            continue
        if c == 0x3c:  # hex string
            j = raw.find(b'>', i)
            body = raw[i + 1:j]
            digits = bytes(b for b in body if b not in WS)
            rep.a('6.1.6-1', len(digits) % 2 == 0, f'hex string of {len(digits)} digits at byte {i}')
            rep.a('6.1.6-2', re.fullmatch(rb'[0-9A-Fa-f]*', digits) is not None, f'hex string at byte {i}')
            rep.a('6.1.13-3', len(digits) // 2 < 32768, f'a string of {len(digits) // 2} bytes at byte {i}')
            i = j + 1
            continue
        if c in b'[]{}':
            i += 1
            continue
        if c == 0x2f:  # name
            j = i + 1
            while j < n and raw[j] not in WS and raw[j] not in DELIM:
                j += 1
            nm = re.sub(rb'#([0-9A-Fa-f]{2})', lambda g: bytes([int(g.group(1), 16)]), raw[i + 1:j])
            rep.a('6.1.13-4', len(nm) <= 127, f'a name of {len(nm)} bytes at byte {i}')
            i = j
            continue
        j = i
        while j < n and raw[j] not in WS and raw[j] not in DELIM:
            j += 1
        if j == i:
            i += 1
            continue
        tok = raw[i:j]
        if re.fullmatch(rb'[+-]?\d+', tok):
            v = int(tok)
            rep.a('6.1.13-1', -2147483648 <= v <= 2147483647, f'integer {v} at byte {i}')
            om = re.match(rb'(\d+)([\x00\t\n\x0c\r ]+)(\d+)([\x00\t\n\x0c\r ]+)obj', raw[i:i + 40])
            if om and (i == 0 or raw[i - 1] in WS):
                nobj += 1
                ok = (len(om.group(2)) == 1 and len(om.group(4)) == 1
                      and raw[i - 1:i] in (b'\r', b'\n')
                      and raw[i + om.end():i + om.end() + 1] in (b'\r', b'\n'))
                cur = Ref((int(om.group(1)), int(om.group(3))))
                rep.a('6.1.9-1', ok, f'object {cur[0]} {cur[1]} at byte {i}')
                i += om.end()
                continue
        elif re.fullmatch(rb'[+-]?(\d+\.\d*|\.\d+)', tok):
            v = float(tok)
            rep.a('6.1.13-2', -3.403e38 <= v <= 3.403e38, f'real {tok.decode()} at byte {i}')
            rep.a('6.1.13-5', v == 0 or abs(v) >= 1.175e-38, f'real {tok.decode()} at byte {i}')
        elif tok == b'endobj':
            ok = raw[i - 1:i] in (b'\r', b'\n') and (j == n or raw[j:j + 1] in (b'\r', b'\n'))
            rep.a('6.1.9-1', ok, f'endobj of {where_ref(cur)} at byte {i}')
        elif tok == b'stream':
            eol = raw[j:j + 2]
            kw_ok = eol == b'\r\n' or eol[:1] == b'\n'
            start = j + (2 if eol == b'\r\n' else 1)
            ln = lengths.get(cur)
            end = None
            if ln is not None and re.match(rb'(\r\n|\r|\n)endstream', raw[start + ln:start + ln + 12]):
                end = start + ln
                real = ln
            else:
                k = raw.find(b'endstream', start)
                k = n if k < 0 else k
                end = k
                while end > start and raw[end - 1] in b'\r\n' and end > k - 2:
                    end -= 1
                real = end - start
            end_ok = raw[end:end + 1] in (b'\r', b'\n')
            rep.a('6.1.7.1-1', ln == real, f'{where_ref(cur)}: Length {ln}, {real} bytes')
            rep.a('6.1.7.1-2', kw_ok and end_ok, f'{where_ref(cur)}')
            k = raw.find(b'endstream', end)
            i = (k + 9) if k >= 0 else n
            continue
        i = j
    rep.a('6.1.13-7', max(nobj, len(pdf.objs)) <= 8388607, f'{max(nobj, len(pdf.objs))} objects')

# ---- content streams -------------------------------------------------------------

OPERATORS = set('''b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J
K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' "'''.split())
TEXT_SHOW = {'Tj', 'TJ', "'", '"'}
PATH_PAINT = {'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*'}
INLINE_FILTERS = {'ASCIIHexDecode', 'ASCII85Decode', 'FlateDecode', 'RunLengthDecode', 'CCITTFaxDecode',
                  'DCTDecode', 'AHx', 'A85', 'Fl', 'RL', 'CCF', 'DCT'}
INTENTS = {'RelativeColorimetric', 'AbsoluteColorimetric', 'Perceptual', 'Saturation'}


class Op:
    __slots__ = ('op', 'args', 'pos')

    def __init__(self, op, args, pos):
        self.op, self.args, self.pos = op, args, pos


def tokenize_content(data, rep, where):
    """Content stream -> [Op]. Operands are Python values: int/float, Name,
    PStr, list, dict, bool, None. Inline images give an Op 'BI' whose args
    are [dict]."""
    ops = []
    stack = []
    n = len(data)
    i = 0

    def parse_obj():
        nonlocal i
        while i < n:
            c = data[i]
            if c in WS:
                i += 1
            elif c == 0x25:
                while i < n and data[i] not in b'\r\n':
                    i += 1
            else:
                break
        if i >= n:
            return ('eof', None)
        c = data[i]
        if c == 0x28:
            depth, j, out = 1, i + 1, bytearray()
            while j < n:
                b = data[j]
                if b == 0x5c and j + 1 < n:
                    e = data[j + 1]
                    esc = {0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12}
                    if e in esc:
                        out.append(esc[e]); j += 2
                    elif 0x30 <= e <= 0x37:
                        k = j + 1
                        while k < n and k < j + 4 and 0x30 <= data[k] <= 0x37:
                            k += 1
                        out.append(int(data[j + 1:k], 8) & 0xff); j = k
                    elif e in b'\r\n':
                        j += 2
                        if e == 0x0d and j < n and data[j] == 0x0a:
                            j += 1
                    else:
                        out.append(e); j += 2
                    continue
                if b == 0x28:
                    depth += 1
                elif b == 0x29:
                    depth -= 1
                    if depth == 0:
                        break
                out.append(b)
                j += 1
            i = j + 1
            rep.a('6.1.13-3', len(out) < 32768, f'{where}: a string of {len(out)} bytes')
            return ('v', PStr(bytes(out)))
        if data.startswith(b'<<', i):
            i += 2
            d = {}
            while True:
                k = parse_obj()
                if k[0] in ('eof',) or (k[0] == 'delim' and k[1] == '>>'):
                    return ('v', d)
                v = parse_obj()
                if isinstance(k[1], Name):
                    d[str(k[1])] = v[1]
        if data.startswith(b'>>', i):
            i += 2
            return ('delim', '>>')
        if c == 0x3c:
            j = data.find(b'>', i)
            j = n if j < 0 else j
            digits = bytes(b for b in data[i + 1:j] if b not in WS)
            rep.a('6.1.6-1', len(digits) % 2 == 0, f'{where}: hex string of {len(digits)} digits')
            rep.a('6.1.6-2', re.fullmatch(rb'[0-9A-Fa-f]*', digits) is not None, f'{where}: hex string')
            i = j + 1
            if len(digits) % 2:
                digits += b'0'
            try:
                return ('v', PStr(bytes.fromhex(digits.decode('latin-1'))))
            except ValueError:
                return ('v', PStr(b''))
        if c == 0x5b:
            i += 1
            arr = []
            while True:
                v = parse_obj()
                if v[0] == 'eof' or (v[0] == 'delim' and v[1] == ']'):
                    return ('v', arr)
                arr.append(v[1])
        if c == 0x5d:
            i += 1
            return ('delim', ']')
        if c == 0x2f:
            j = i + 1
            while j < n and data[j] not in WS and data[j] not in DELIM:
                j += 1
            raw = re.sub(rb'#([0-9A-Fa-f]{2})', lambda g: bytes([int(g.group(1), 16)]), data[i + 1:j])
            rep.a('6.1.13-4', len(raw) <= 127, f'{where}: a name of {len(raw)} bytes')
            i = j
            try:
                nm = Name(raw.decode('utf-8'))
            except UnicodeDecodeError:
                nm = Name(raw.decode('latin-1'))
                nm.valid = False
            return ('v', nm)
        j = i
        while j < n and data[j] not in WS and data[j] not in DELIM:
            j += 1
        if j == i:
            i += 1
            return ('delim', chr(c))
        tok = data[i:j].decode('latin-1')
        i = j
        if re.fullmatch(r'[+-]?\d+', tok):
            v = int(tok)
            rep.a('6.1.13-1', -2147483648 <= v <= 2147483647, f'{where}: integer {v}')
            return ('v', v)
        if re.fullmatch(r'[+-]?(\d+\.\d*|\.\d+)', tok):
            v = float(tok)
            rep.a('6.1.13-2', -3.403e38 <= v <= 3.403e38, f'{where}: real {tok}')
            rep.a('6.1.13-5', v == 0 or abs(v) >= 1.175e-38, f'{where}: real {tok}')
            return ('v', v)
        if tok == 'true':
            return ('v', True)
        if tok == 'false':
            return ('v', False)
        if tok == 'null':
            return ('v', None)
        return ('op', tok)

    while True:
        pos = i
        kind, v = parse_obj()
        if kind == 'eof':
            break
        if kind == 'v':
            stack.append(v)
            continue
        if kind == 'delim':
            continue
        if v == 'BI':
            d = {}
            while True:
                k = parse_obj()
                if k[0] == 'eof' or (k[0] == 'op' and k[1] == 'ID'):
                    break
                val = parse_obj()
                if isinstance(k[1], Name):
                    d[str(k[1])] = val[1]
            i += 1  # the single white-space character after ID
            mm = re.compile(rb'[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)').search(data, i)
            i = mm.end() if mm else n
            ops.append(Op('BI', [d], pos))
            stack = []
            continue
        ops.append(Op(v, stack, pos))
        stack = []
    return ops


class Mc:
    __slots__ = ('tag', 'props', 'mcid', 'tagged', 'key')

    def __init__(self, tag, props, mcid, key):
        self.tag, self.props, self.mcid, self.key = tag, props, mcid, key
        self.tagged = False


class ContentWalker:
    """Runs the content of every page (and the form XObjects it draws) and
    records what the rules need: marked content, painted items, fonts and
    the codes shown with them, colour spaces, graphics states, images."""

    def __init__(self, pdf, rep, tree_mcids):
        self.pdf = pdf
        self.rep = rep
        self.tree_mcids = tree_mcids      # {(stream-or-page Ref, mcid)}
        self.font_use = {}                # font Ref or id -> {'codes': set, 'modes': set, 'where': str}
        self.colour = set()               # 'DeviceRGB', 'DeviceGray', 'DeviceCMYK', ('ICC', ref)...
        self.transparency = {}            # page Ref -> bool
        self.mcids_on = {}                # content key -> [mcid, ...] in order
        self.items = []                   # (page no, kind, tagged, artifact, where, mcinfo)
        self.text_items = []              # (page no, where, lang or None)
        self.forms_drawn = {}             # form Ref -> count
        self.forms_with_mcid = set()
        self.images = []                  # (Stream or inline dict, where, resources)
        self.mc_lang_needed = []

    # -- resources
    def res(self, resources, cat, nm):
        return self.pdf.r(self.pdf.d(resources).get(cat, {}) and self.pdf.d(self.pdf.d(resources).get(cat)).get(nm))

    def run(self, data, resources, key, page_no, where, mc_stack, tagging=True, own_resources=True, depth=0):
        rep, pdf = self.rep, self.pdf
        ops = tokenize_content(data, rep, where)
        q_depth = 0
        font = None
        fontref = None
        mode = 0
        bx = 0
        cs_fill = 'DeviceGray'
        cs_stroke = 'DeviceGray'
        stack = list(mc_stack)
        q_stack = []
        for op in ops:
            o, a = op.op, op.args
            at = f'{where}, operator {o} at byte {op.pos}'
            if o not in OPERATORS:
                rep.a('6.2.2-1', False, f'{where}: operator {o!r} at byte {op.pos}')
            else:
                rep.a('6.2.2-1', True)
            if o == 'BX':
                bx += 1
            elif o == 'EX':
                bx = max(0, bx - 1)
            elif o == 'q':
                q_depth += 1
                q_stack.append((font, fontref, mode, cs_fill, cs_stroke))
                rep.a('6.1.13-8', q_depth <= 28, f'{where}: q nested {q_depth} deep')
            elif o == 'Q':
                q_depth = max(0, q_depth - 1)
                if q_stack:
                    font, fontref, mode, cs_fill, cs_stroke = q_stack.pop()
            elif o in ('BDC', 'BMC'):
                tag = str(a[0]) if a and isinstance(a[0], Name) else ''
                props = None
                if o == 'BDC' and len(a) > 1:
                    props = a[1]
                    if isinstance(props, Name):
                        if not own_resources and props:
                            rep.a('6.2.2-2', False, f'{where}: property list /{props} from inherited resources')
                        props = pdf.d(self.res(resources, 'Properties', str(props)))
                    props = props if isinstance(props, dict) else {}
                mcid = props.get('MCID') if props else None
                mc = Mc(tag, props or {}, mcid if isinstance(mcid, int) else None, key)
                parent_tagged = any(m.tagged for m in stack)
                mc.tagged = parent_tagged or (mc.mcid is not None and (key, mc.mcid) in self.tree_mcids)
                if mc.mcid is not None:
                    self.mcids_on.setdefault(key, []).append((mc.mcid, where))
                    if key is not None and key[0] == 'form':
                        self.forms_with_mcid.add(key[1])
                rep.ua('7.1-1', tag != 'Artifact' or not parent_tagged, f'{at}: Artifact inside tagged content')
                rep.ua('7.1-2', not mc.tagged or not any(m.tag == 'Artifact' for m in stack),
                       f'{at}: tagged content (MCID {mc.mcid}) inside an Artifact')
                if props and 'Lang' in props:
                    lang = text(props.get('Lang'))
                    rep.ua('7.2-29', lang is not None and LANG_RE.fullmatch(lang) is not None,
                           f'{at}: Lang {lang!r}')
                if tag == 'Span' and props:
                    inherited = self._mc_lang(stack) or props.get('Lang')
                    for k, rid in (('ActualText', '7.2-30'), ('Alt', '7.2-31'), ('E', '7.2-32')):
                        if k in props:
                            self.mc_lang_needed.append((rid, bool(inherited), at))
                stack.append(mc)
            elif o == 'EMC':
                if len(stack) > len(mc_stack):
                    stack.pop()
            elif o == 'Tf' and len(a) >= 2:
                fname = str(a[0]) if isinstance(a[0], Name) else ''
                if not own_resources:
                    rep.a('6.2.2-2', False, f'{where}: font /{fname} from inherited resources')
                fd = pdf.d(resources).get('Font')
                fontref = pdf.d(fd).get(fname)
                font = pdf.d(fontref)
            elif o == 'Tr' and a:
                mode = a[0] if isinstance(a[0], int) else 0
            elif o in TEXT_SHOW:
                strings = []
                for v in a:
                    if isinstance(v, PStr):
                        strings.append(v.raw)
                    elif isinstance(v, list):
                        strings.extend(x.raw for x in v if isinstance(x, PStr))
                key_font = fontref if isinstance(fontref, Ref) else id(font)
                u = self.font_use.setdefault(key_font, {'font': font, 'ref': fontref, 'codes': set(),
                                                       'modes': set(), 'where': at})
                u['modes'].add(mode)
                for s in strings:
                    for code in split_codes(pdf, font, s):
                        u['codes'].add(code)
                self._item(page_no, 'text', stack, at, tagging)
                self.text_items.append((page_no, at, self._mc_lang(stack), self._mc_elem(stack)))
                if mode != 3 and mode != 7:
                    self._paint(cs_fill if mode in (0, 2, 4, 6) else cs_stroke, at)
            elif o in PATH_PAINT:
                self._item(page_no, 'path', stack, at, tagging)
                if o in ('f', 'F', 'f*'):
                    self._paint(cs_fill, at)
                elif o in ('S', 's'):
                    self._paint(cs_stroke, at)
                else:
                    self._paint(cs_fill, at)
                    self._paint(cs_stroke, at)
            elif o == 'sh':
                self._item(page_no, 'shading', stack, at, tagging)
            elif o in ('rg', 'RG'):
                if o == 'rg':
                    cs_fill = 'DeviceRGB'
                else:
                    cs_stroke = 'DeviceRGB'
            elif o in ('g', 'G'):
                if o == 'g':
                    cs_fill = 'DeviceGray'
                else:
                    cs_stroke = 'DeviceGray'
            elif o in ('k', 'K'):
                if o == 'k':
                    cs_fill = 'DeviceCMYK'
                else:
                    cs_stroke = 'DeviceCMYK'
            elif o in ('cs', 'CS') and a and isinstance(a[0], Name):
                nm = str(a[0])
                if nm in ('DeviceRGB', 'DeviceGray', 'DeviceCMYK', 'Pattern'):
                    cs = nm
                else:
                    cs = self.pdf.r(self.res(resources, 'ColorSpace', nm))
                    if not own_resources:
                        rep.a('6.2.2-2', False, f'{where}: colour space /{nm} from inherited resources')
                if o == 'cs':
                    cs_fill = cs
                else:
                    cs_stroke = cs
            elif o == 'ri' and a:
                rep.a('6.2.6-1', str(a[0]) in INTENTS, f'{at}: rendering intent {a[0]}')
            elif o == 'gs' and a and isinstance(a[0], Name):
                if not own_resources:
                    rep.a('6.2.2-2', False, f'{where}: ExtGState /{a[0]} from inherited resources')
                gs = pdf.d(self.res(resources, 'ExtGState', str(a[0])))
                if gs_transparent(pdf, gs):
                    self.transparency[page_no] = True
            elif o == 'Do' and a and isinstance(a[0], Name):
                if not own_resources:
                    rep.a('6.2.2-2', False, f'{where}: XObject /{a[0]} from inherited resources')
                xref = pdf.d(pdf.d(resources).get('XObject')).get(str(a[0]))
                xo = pdf.r(xref)
                if not isinstance(xo, Stream):
                    continue
                st = name(xo.get('Subtype'))
                if st == 'Image':
                    self._item(page_no, 'image', stack, at, tagging)
                    self.images.append((xo, at))
                    if xo.get('SMask') is not None:
                        self.transparency[page_no] = True
                elif st == 'Form' and depth < 12:
                    self.forms_drawn[xref] = self.forms_drawn.get(xref, 0) + 1
                    fres = xo.get('Resources')
                    own = fres is not None
                    if xo.get('Group') is not None and name(pdf.d(xo.get('Group')).get('S')) == 'Transparency':
                        self.transparency[page_no] = True
                    self.run(xo.data or b'', fres if own else resources, ('form', xref), page_no,
                             f'{where} > form {where_ref(xref)}', stack, tagging, own, depth + 1)
            elif o == 'BI':
                d = a[0]
                self._item(page_no, 'image', stack, at, tagging)
                f = d.get('F', d.get('Filter'))
                for fl in (f if isinstance(f, list) else [f] if f is not None else []):
                    rep.a('6.1.10-1', str(fl) in INLINE_FILTERS, f'{at}: inline image filter {fl}')
                self.images.append((d, at))
        return stack

    def _paint(self, cs, at):
        self.colour.add((cs if isinstance(cs, str) else colour_space_kind(self.pdf, cs), at))

    def _mc_lang(self, stack):
        for m in reversed(stack):
            if m.props and text(m.props.get('Lang')):
                return text(m.props.get('Lang'))
        return None

    def _mc_elem(self, stack):
        for m in reversed(stack):
            if m.mcid is not None:
                return (m.key, m.mcid)
        return None

    def _item(self, page_no, kind, stack, at, tagging):
        if not tagging:
            return
        tagged = any(m.tagged for m in stack)
        artifact = any(m.tag == 'Artifact' for m in stack)
        self.items.append((page_no, kind, tagged, artifact, at))


def gs_transparent(pdf, gs):
    sm = gs.get('SMask')
    if sm is not None and name(sm) != 'None':
        return True
    for k in ('CA', 'ca'):
        v = num(gs.get(k))
        if v is not None and v < 1:
            return True
    bm = gs.get('BM')
    bms = bm if isinstance(bm, list) else [bm]
    return any(name(b) not in (None, 'Normal', 'Compatible') for b in bms)


def colour_space_kind(pdf, cs):
    cs = pdf.r(cs)
    if isinstance(cs, Name):
        return str(cs)
    if isinstance(cs, list) and cs:
        fam = name(pdf.r(cs[0]))
        if fam == 'ICCBased':
            return ('ICCBased', cs[1] if len(cs) > 1 else None)
        if fam == 'Indexed' and len(cs) > 1:
            return colour_space_kind(pdf, cs[1])
        if fam in ('Separation', 'DeviceN'):
            return (fam, tuple(map(str, cs[1] if isinstance(cs[1], list) else [cs[1]])) if len(cs) > 1 else ())
        return fam
    return None


def split_codes(pdf, font, s):
    """Character codes of a string shown with font (Type0: two bytes, Identity)."""
    if name(font.get('Subtype')) == 'Type0':
        return [int.from_bytes(s[k:k + 2], 'big') for k in range(0, len(s) - 1, 2)]
    return list(s)

# ---- fonts -------------------------------------------------------------------------

STANDARD_14 = {'Times-Roman', 'Times-Bold', 'Times-Italic', 'Times-BoldItalic', 'Helvetica', 'Helvetica-Bold',
               'Helvetica-Oblique', 'Helvetica-BoldOblique', 'Courier', 'Courier-Bold', 'Courier-Oblique',
               'Courier-BoldOblique', 'Symbol', 'ZapfDingbats'}
PREDEFINED_CMAPS = set('''GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H GBKp-EUC-V GBK2K-H
GBK2K-V UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V B5pc-H B5pc-V HKscs-B5-H HKscs-B5-V ETen-B5-H ETen-B5-V
ETenms-B5-H ETenms-B5-V CNS-EUC-H CNS-EUC-V UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H UniCNS-UTF16-V 83pv-RKSJ-H
90ms-RKSJ-H 90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H Add-RKSJ-H Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V
H V UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H UniJIS-UCS2-HW-V UniJIS-UTF16-H UniJIS-UTF16-V KSC-EUC-H KSC-EUC-V
KSCms-UHC-H KSCms-UHC-V KSCms-UHC-HW-H KSCms-UHC-HW-V KSCpc-EUC-H UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H
UniKS-UTF16-V Identity-H Identity-V'''.split())


class TrueType:
    """The tables of a TrueType program that the rules need."""

    def __init__(self, data):
        self.ok = False
        self.tables = {}
        self.zero = []
        if not data or len(data) < 12:
            return
        try:
            numtables = struct.unpack('>H', data[4:6])[0]
            for k in range(numtables):
                tag, _cs, off, ln = struct.unpack('>4sIII', data[12 + 16 * k:28 + 16 * k])
                tag = tag.decode('latin-1')
                self.tables[tag] = (off, ln)
                if ln == 0:
                    self.zero.append(tag)
            self.data = data
            head = self.t('head')
            self.upem = struct.unpack('>H', head[18:20])[0] if len(head) >= 20 else 1000
            maxp = self.t('maxp')
            self.num_glyphs = struct.unpack('>H', maxp[4:6])[0] if len(maxp) >= 6 else 0
            hhea = self.t('hhea')
            self.num_hmetrics = struct.unpack('>H', hhea[34:36])[0] if len(hhea) >= 36 else 0
            self.hmtx = self.t('hmtx')
            self.cmap_subtables = []
            cmap = self.t('cmap')
            if len(cmap) >= 4:
                for k in range(struct.unpack('>H', cmap[2:4])[0]):
                    pid, eid, _off = struct.unpack('>HHI', cmap[4 + 8 * k:12 + 8 * k])
                    self.cmap_subtables.append((pid, eid))
            self.ok = True
        except (struct.error, ValueError):
            self.ok = False

    def t(self, tag):
        off, ln = self.tables.get(tag, (0, 0))
        return self.data[off:off + ln]

    def advance(self, gid):
        if not self.num_hmetrics:
            return None
        k = min(gid, self.num_hmetrics - 1)
        if 4 * k + 2 > len(self.hmtx):
            return None
        return struct.unpack('>H', self.hmtx[4 * k:4 * k + 2])[0] * 1000.0 / (self.upem or 1000)


def parse_tounicode(data):
    """ToUnicode CMap -> {code: unicode string}."""
    m = {}
    if not data:
        return m
    s = data.decode('latin-1')

    def hexv(h):
        return bytes.fromhex(h) if len(h) % 2 == 0 else b''

    def ustr(b):
        return b.decode('utf-16-be', 'surrogatepass') if len(b) % 2 == 0 else ''
    for block in re.findall(r'beginbfchar(.*?)endbfchar', s, re.S):
        for src, dst in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>', block):
            m[int(src, 16)] = ustr(hexv(dst))
    for block in re.findall(r'beginbfrange(.*?)endbfrange', s, re.S):
        for lo, hi, rest in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)', block):
            lo, hi = int(lo, 16), int(hi, 16)
            if hi - lo > 65535:
                continue
            if rest.startswith('['):
                for k, dst in enumerate(re.findall(r'<([0-9A-Fa-f]*)>', rest)):
                    m[lo + k] = ustr(hexv(dst))
            else:
                b = hexv(rest[1:-1])
                if not b:
                    continue
                base = int.from_bytes(b, 'big')
                for k in range(hi - lo + 1):
                    m[lo + k] = ustr((base + k).to_bytes(len(b), 'big'))
    return m


def cid_widths(pdf, cidfont):
    """W array -> {cid: width}; DW the default."""
    w = {}
    arr = pdf.arr(cidfont.get('W'))
    k = 0
    while k < len(arr):
        first = pdf.r(arr[k])
        nxt = pdf.r(arr[k + 1]) if k + 1 < len(arr) else None
        if isinstance(nxt, list):
            for j, v in enumerate(nxt):
                w[first + j] = pdf.r(v)
            k += 2
        else:
            last = nxt
            v = pdf.r(arr[k + 2]) if k + 2 < len(arr) else None
            if isinstance(first, int) and isinstance(last, int) and last - first < 70000:
                for c in range(first, last + 1):
                    w[c] = v
            k += 3
    dw = num(pdf.r(cidfont.get('DW')))
    return w, (1000 if dw is None else dw)


def check_fonts(pdf, rep, walker, all_fonts):
    tags = {}
    for fref, font in all_fonts:
        where = f'font {name(font.get("BaseFont")) or "?"} ({where_ref(fref)})'
        use = walker.font_use.get(fref) or {'codes': set(), 'modes': set()}
        modes = use['modes']
        only_invisible = bool(modes) and modes <= {3}
        sub = name(font.get('Subtype'))
        rep.a('6.2.11.2-1', name(font.get('Type')) == 'Font', f'{where}: Type {font.get("Type")}')
        rep.a('6.2.11.2-2', sub in ('Type1', 'MMType1', 'TrueType', 'Type3', 'Type0', 'CIDFontType0', 'CIDFontType2'),
              f'{where}: Subtype {sub}')
        rep.a('6.2.11.2-3', sub == 'Type3' or font.get('BaseFont') is not None, f'{where}: no BaseFont')
        base = name(font.get('BaseFont')) or ''
        for nm in (font.get('BaseFont'), pdf.d(font.get('FontDescriptor')).get('FontName')):
            if isinstance(nm, Name):
                rep.a('6.1.8-1', nm.valid, f'{where}: font name is not UTF-8')
        fonts = [(fref, font, use)]
        if sub == 'Type0':
            enc = pdf.r(font.get('Encoding'))
            desc = [pdf.r(x) for x in pdf.arr(font.get('DescendantFonts'))]
            cid = desc[0] if desc and isinstance(desc[0], dict) else {}
            cmap_name = name(enc) if isinstance(enc, Name) else name(pdf.d(enc).get('CMapName'))
            csi_f = pdf.d(cid.get('CIDSystemInfo'))
            csi_c = pdf.d(pdf.d(enc).get('CIDSystemInfo')) if isinstance(enc, (Stream, dict)) else {}
            ok = cmap_name in ('Identity-H', 'Identity-V') or (
                text(csi_f.get('Ordering')) is not None and text(csi_f.get('Ordering')) == text(csi_c.get('Ordering'))
                and text(csi_f.get('Registry')) == text(csi_c.get('Registry'))
                and num(csi_f.get('Supplement')) is not None and num(csi_c.get('Supplement')) is not None
                and csi_f.get('Supplement') <= csi_c.get('Supplement'))
            rep.a('6.2.11.3.1-1', ok, f'{where}: CMap {cmap_name} and CIDSystemInfo disagree')
            rep.ua('7.21.3.1-1', ok, f'{where}: CMap {cmap_name} and CIDSystemInfo disagree')
            embedded_cmap = isinstance(enc, Stream)
            rep.a('6.2.11.3.3-1', cmap_name in PREDEFINED_CMAPS or embedded_cmap, f'{where}: CMap {cmap_name} not embedded')
            rep.ua('7.21.3.3-1', cmap_name in PREDEFINED_CMAPS or embedded_cmap, f'{where}: CMap {cmap_name} not embedded')
            if embedded_cmap:
                wm = re.search(rb'/WMode\s+(\d)', enc.data or b'')
                dict_wm = enc.get('WMode', 0)
                rep.a('6.2.11.3.3-2', (int(wm.group(1)) if wm else 0) == dict_wm, f'{where}: CMap WMode')
                rep.ua('7.21.3.3-2', (int(wm.group(1)) if wm else 0) == dict_wm, f'{where}: CMap WMode')
                mcid = re.findall(rb'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)', enc.data or b'')
                mx = max([int(c) + int(h, 16) - int(lo, 16) for lo, h, c in mcid] or [0])
                rep.a('6.1.13-10', mx <= 65535, f'{where}: CID {mx}')
                use_cmap = pdf.r(enc.get('UseCMap'))
                if use_cmap is not None:
                    un = name(use_cmap) or name(pdf.d(use_cmap).get('CMapName'))
                    rep.a('6.2.11.3.3-3', un in PREDEFINED_CMAPS, f'{where}: UseCMap {un}')
                    rep.ua('7.21.3.3-3', un in PREDEFINED_CMAPS, f'{where}: UseCMap {un}')
            tu = parse_tounicode(pdf.r(font.get('ToUnicode')).data if isinstance(pdf.r(font.get('ToUnicode')), Stream) else None)
            check_glyphs(pdf, rep, where, font, cid, use, tu, cmap_name)
            if cid:
                fonts.append((None, cid, use))
        else:
            tu_s = pdf.r(font.get('ToUnicode'))
            tu = parse_tounicode(tu_s.data if isinstance(tu_s, Stream) else None)
            if use['codes'] and not only_invisible:
                for key in (('PDFA-2U', '6.2.11.4.1-2'), ('PDFA-2U', '6.2.11.5-1'), ('PDFA-2U', '6.2.11.8-1'),
                            ('PDFUA-1', '7.21.4.1-2'), ('PDFUA-1', '7.21.5-1'), ('PDFUA-1', '7.21.8-1')):
                    rep.unsupported(key, f'{where}: a simple ({sub}) font')
            for code in sorted(use['codes']):
                u = tu.get(code)
                std_ok = u is not None or (sub == 'Type1' and name(font.get('Encoding')) in ('WinAnsiEncoding', 'MacRomanEncoding', 'StandardEncoding'))
                rep.a('6.2.11.7.2-1', std_ok, f'{where}: code {code} has no Unicode value')
                rep.ua('7.21.7-1', std_ok, f'{where}: code {code} has no Unicode value')
        for ref2, f, u in fonts:
            sub2 = name(f.get('Subtype'))
            fd = pdf.d(f.get('FontDescriptor'))
            ff = None
            for k in ('FontFile', 'FontFile2', 'FontFile3'):
                if fd.get(k) is not None:
                    ff = (k, pdf.r(fd.get(k)))
            fname = name(f.get('BaseFont')) or ''
            is_std = fname in STANDARD_14 and ff is None
            if sub2 in ('Type1', 'MMType1', 'TrueType', 'Type3'):
                rep.a('6.2.11.2-4', is_std or f.get('FirstChar') is not None, f'{where}: no FirstChar')
                rep.a('6.2.11.2-5', is_std or f.get('LastChar') is not None, f'{where}: no LastChar')
                wl = pdf.arr(f.get('Widths'))
                fc, lc = num(f.get('FirstChar')), num(f.get('LastChar'))
                rep.a('6.2.11.2-6', is_std or (fc is not None and lc is not None and len(wl) == lc - fc + 1),
                      f'{where}: Widths has {len(wl)} entries')
            if ff and ff[0] == 'FontFile3' and isinstance(ff[1], Stream):
                fst = name(ff[1].get('Subtype'))
                rep.a('6.2.11.2-7', fst in (None, 'Type1C', 'CIDFontType0C', 'OpenType'), f'{where}: FontFile3 Subtype {fst}')
            if sub2 != 'Type0' and sub2 != 'Type3':
                need = not (u['modes'] and u['modes'] <= {3})
                rep.a('6.2.11.4.1-1', ff is not None or not need, f'{where}: font program not embedded')
                rep.ua('7.21.4.1-1', ff is not None or not need, f'{where}: font program not embedded')
            if sub2 == 'CIDFontType2':
                rep.a('6.2.11.3.2-1', f.get('CIDToGIDMap') is not None or ff is None, f'{where}: no CIDToGIDMap')
                rep.ua('7.21.3.2-1', f.get('CIDToGIDMap') is not None or ff is None, f'{where}: no CIDToGIDMap')
            if sub2 in ('Type1', 'MMType1') and ff is not None and fd.get('CharSet') is not None and re.match(r'[A-Z]{6}\+', fname):
                rep.unsupported(('PDFA-2U', '6.2.11.4.2-1'), f'{where}: CharSet of a Type 1 subset')
                rep.unsupported(('PDFUA-1', '7.21.4.2-1'), f'{where}: CharSet of a Type 1 subset')
            if sub2 in ('CIDFontType0', 'CIDFontType2') and ff is not None and fd.get('CIDSet') is not None \
                    and re.match(r'[A-Z]{6}\+', fname):
                ok = cidset_ok(pdf, f, fd, ff[1])
                rep.a('6.2.11.4.2-2', ok, f'{where}: CIDSet does not list every CID of the font program')
                rep.ua('7.21.4.2-2', ok, f'{where}: CIDSet does not list every CID of the font program')
            if ff and ff[0] == 'FontFile2' and isinstance(ff[1], Stream):
                tt = TrueType(ff[1].data)
                missing = [t for t in ('head', 'hhea', 'hmtx', 'maxp', 'loca', 'glyf') if t not in tt.tables]
                rep.x('font-1', tt.ok and not tt.zero and not missing,
                      f'{where}: ' + ('not a TrueType program' if not tt.ok else
                                      ', '.join(([f"zero-length {' '.join(tt.zero)}"] if tt.zero else []) +
                                                ([f"no {' '.join(missing)}"] if missing else []))))
                if sub2 == 'TrueType':
                    flags = num(fd.get('Flags')) or 0
                    symbolic = bool(flags & 4)
                    enc = pdf.r(f.get('Encoding'))
                    encn = name(enc) or name(pdf.d(enc).get('BaseEncoding'))
                    diffs = pdf.d(enc).get('Differences') if isinstance(enc, dict) else None
                    c30 = (3, 0) in tt.cmap_subtables
                    n = len(tt.cmap_subtables)
                    rep.a('6.2.11.6-1', symbolic or (n > 1 if c30 else n > 0), f'{where}: cmap subtables {tt.cmap_subtables}')
                    rep.ua('7.21.6-1', symbolic or (n > 1 if c30 else n > 0), f'{where}: cmap subtables {tt.cmap_subtables}')
                    ok2 = symbolic or (encn in ('MacRomanEncoding', 'WinAnsiEncoding') and (diffs is None or (3, 1) in tt.cmap_subtables))
                    rep.a('6.2.11.6-2', ok2, f'{where}: non-symbolic TrueType Encoding {encn}')
                    rep.ua('7.21.6-2', ok2, f'{where}: non-symbolic TrueType Encoding {encn}')
                    rep.a('6.2.11.6-3', not symbolic or f.get('Encoding') is None, f'{where}: symbolic with Encoding')
                    rep.ua('7.21.6-3', not symbolic or f.get('Encoding') is None, f'{where}: symbolic with Encoding')
                    rep.a('6.2.11.6-4', not symbolic or n == 1 or c30, f'{where}: cmap subtables {tt.cmap_subtables}')
                    rep.ua('7.21.6-4', not symbolic or n == 1 or c30, f'{where}: cmap subtables {tt.cmap_subtables}')
        m = re.match(r'([A-Z]{6})\+', base)
        if '+' in base:
            rep.x('font-2', m is not None, f'{where}: subset tag of {base} is not six capital letters')
        if m and sub != 'Type0':
            tags.setdefault(m.group(1), set()).add(base)
    for tag, names in tags.items():
        rep.x('font-2', True)
        if len(names) > 1:
            rep.x('font-2', False, f'subset tag {tag} is used by {len(names)} subsets: {", ".join(sorted(names))}')


def cidset_ok(pdf, cidfont, fd, ffs):
    cs = pdf.r(fd.get('CIDSet'))
    bits = cs.data if isinstance(cs, Stream) and cs.data else b''
    tt = TrueType(ffs.data) if isinstance(ffs, Stream) else None
    if not tt or not tt.ok:
        return False
    gmap = pdf.r(cidfont.get('CIDToGIDMap'))
    if isinstance(gmap, Stream) and gmap.data:
        present = [c for c in range(len(gmap.data) // 2)
                   if (g := int.from_bytes(gmap.data[2 * c:2 * c + 2], 'big')) < tt.num_glyphs and (g or c == 0)]
    else:
        present = range(tt.num_glyphs)
    for c in present:
        if c // 8 >= len(bits) or not bits[c // 8] & (0x80 >> (c % 8)):
            return False
    return True


def check_glyphs(pdf, rep, where, font, cid, use, tu, cmap_name):
    if not use['codes']:
        return
    invisible = bool(use['modes']) and use['modes'] <= {3}
    fd = pdf.d(cid.get('FontDescriptor'))
    ffs = pdf.r(fd.get('FontFile2'))
    tt = TrueType(ffs.data) if isinstance(ffs, Stream) else None
    gmap = pdf.r(cid.get('CIDToGIDMap'))
    widths, dw = cid_widths(pdf, cid)
    bad = {'present': [], 'notdef': [], 'width': [], 'tu': [], 'tu0': []}
    for code in sorted(use['codes']):
        c = code  # Identity-H/V: CID = code
        if cmap_name not in ('Identity-H', 'Identity-V'):
            continue
        u = tu.get(code)
        if u is None:
            bad['tu'].append(code)
        elif '\u0000' in u or '\ufeff' in u or '\ufffe' in u or u == '':
            bad['tu0'].append(code)
        if name(cid.get('Subtype')) != 'CIDFontType2' or tt is None or not tt.ok:
            continue
        if isinstance(gmap, Stream) and gmap.data is not None:
            g = int.from_bytes(gmap.data[2 * c:2 * c + 2], 'big') if 2 * c + 2 <= len(gmap.data) else 0
        else:
            g = c
        if g == 0:
            bad['notdef'].append(code)
        if g >= tt.num_glyphs:
            bad['present'].append(code)
            continue
        wf = tt.advance(g)
        wd = widths.get(c, dw)
        if wf is not None and num(wd) is not None and abs(wf - wd) > 1:
            bad['width'].append(f'{code:04X} (W {wd}, font {wf:.0f})')
    if cmap_name not in ('Identity-H', 'Identity-V'):
        for key in (('PDFA-2U', '6.2.11.4.1-2'), ('PDFA-2U', '6.2.11.5-1'), ('PDFA-2U', '6.2.11.8-1'),
                    ('PDFUA-1', '7.21.4.1-2'), ('PDFUA-1', '7.21.5-1'), ('PDFUA-1', '7.21.8-1')):
            rep.unsupported(key, f'{where}: CMap {cmap_name}')
        return

    def codes(lst):
        return ' '.join(f'{c:04X}' if isinstance(c, int) else c for c in lst[:8]) + (' …' if len(lst) > 8 else '')
    if not invisible:
        rep.a('6.2.11.4.1-2', not bad['present'], f'{where}: glyphs missing for codes {codes(bad["present"])}')
        rep.ua('7.21.4.1-2', not bad['present'], f'{where}: glyphs missing for codes {codes(bad["present"])}')
        rep.a('6.2.11.5-1', not bad['width'], f'{where}: widths differ: {codes(bad["width"])}')
        rep.ua('7.21.5-1', not bad['width'], f'{where}: widths differ: {codes(bad["width"])}')
    rep.a('6.2.11.8-1', not bad['notdef'], f'{where}: .notdef shown for codes {codes(bad["notdef"])}')
    rep.ua('7.21.8-1', not bad['notdef'], f'{where}: .notdef shown for codes {codes(bad["notdef"])}')
    rep.a('6.2.11.7.2-1', not bad['tu'], f'{where}: no Unicode value for codes {codes(bad["tu"])}')
    rep.ua('7.21.7-1', not bad['tu'], f'{where}: no Unicode value for codes {codes(bad["tu"])}')
    rep.a('6.2.11.7.2-2', not bad['tu0'], f'{where}: U+0000, U+FEFF or U+FFFE for codes {codes(bad["tu0"])}')
    rep.ua('7.21.7-2', not bad['tu0'], f'{where}: U+0000, U+FEFF or U+FFFE for codes {codes(bad["tu0"])}')

# ---- XMP -----------------------------------------------------------------------------

RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'
XMLNS = 'http://www.w3.org/XML/1998/namespace'
NS_DC = 'http://purl.org/dc/elements/1.1/'
NS_XMP = 'http://ns.adobe.com/xap/1.0/'
NS_PDF = 'http://ns.adobe.com/pdf/1.3/'
NS_PDFAID = 'http://www.aiim.org/pdfa/ns/id/'
NS_PDFUAID = 'http://www.aiim.org/pdfua/ns/id/'
NS_EXT = 'http://www.aiim.org/pdfa/ns/extension/'
NS_SCHEMA = 'http://www.aiim.org/pdfa/ns/schema#'
NS_PROP = 'http://www.aiim.org/pdfa/ns/property#'
NS_TYPE = 'http://www.aiim.org/pdfa/ns/type#'
NS_FIELD = 'http://www.aiim.org/pdfa/ns/field#'
LANG_RE = re.compile(r'[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*')
DATE_RE = re.compile(r'\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?')

# Schemas of the XMP Specification 2005 and ISO 19005 (no extension schema
# needed), with the value types of the properties a PDF writer uses; None:
# any property of the schema is accepted with any value.
PREDEFINED = {
    NS_DC: {'title': 'Lang Alt', 'description': 'Lang Alt', 'rights': 'Lang Alt', 'creator': 'Seq ProperName',
            'contributor': 'Bag ProperName', 'date': 'Seq Date', 'language': 'Bag Locale', 'subject': 'Bag Text',
            'publisher': 'Bag ProperName', 'relation': 'Bag Text', 'type': 'Bag Text', 'format': 'MIMEType',
            'identifier': 'Text', 'source': 'Text', 'coverage': 'Text'},
    NS_XMP: {'CreateDate': 'Date', 'ModifyDate': 'Date', 'MetadataDate': 'Date', 'CreatorTool': 'AgentName',
             'Label': 'Text', 'Nickname': 'Text', 'Rating': 'Real', 'BaseURL': 'URL', 'Identifier': 'Bag Text',
             'Advisory': 'Bag XPath', 'Thumbnails': 'Alt Thumbnail'},
    NS_PDF: {'Keywords': 'Text', 'PDFVersion': 'Text', 'Producer': 'AgentName', 'Trapped': 'Text'},
    'http://ns.adobe.com/xap/1.0/mm/': {'DocumentID': 'URI', 'InstanceID': 'URI', 'VersionID': 'Text',
                                        'RenditionClass': 'RenditionClass', 'RenditionParams': 'Text',
                                        'History': 'Seq ResourceEvent', 'DerivedFrom': 'ResourceRef',
                                        'ManagedFrom': 'ResourceRef', 'Manager': 'AgentName', 'ManageTo': 'URI',
                                        'ManageUI': 'URI', 'ManagerVariant': 'Text', 'Versions': 'Seq Version',
                                        'LastURL': 'URL', 'RenditionOf': 'ResourceRef', 'SaveID': 'Integer'},
    'http://ns.adobe.com/xap/1.0/rights/': {'Certificate': 'URL', 'Marked': 'Boolean', 'Owner': 'Bag ProperName',
                                            'UsageTerms': 'Lang Alt', 'WebStatement': 'URL'},
    NS_PDFAID: {'part': 'Integer', 'conformance': 'Text', 'amd': 'Text', 'corr': 'Text'},
    'http://ns.adobe.com/xap/1.0/bj/': None, 'http://ns.adobe.com/xap/1.0/t/pg/': None,
    'http://ns.adobe.com/xmp/1.0/DynamicMedia/': None, 'http://ns.adobe.com/photoshop/1.0/': None,
    'http://ns.adobe.com/camera-raw-settings/1.0/': None, 'http://ns.adobe.com/tiff/1.0/': None,
    'http://ns.adobe.com/exif/1.0/': None, 'http://ns.adobe.com/exif/1.0/aux/': None,
    NS_EXT: None,
}
SIMPLE_TYPES = {'Text', 'ProperName', 'AgentName', 'MIMEType', 'Locale', 'RenditionClass', 'GUID', 'URI', 'URL',
                'XPath', 'Integer', 'Real', 'Boolean', 'Date', 'Rational'}
STRUCT_TYPES = {'ResourceEvent', 'ResourceRef', 'Version', 'Job', 'Thumbnail', 'Dimensions', 'Font', 'Colorant',
                'Flash', 'OECF/SFR', 'CFAPattern', 'DeviceSettings', 'GPSCoordinate'}


def el_children(node):
    return [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]


def el_text(node):
    return ''.join(c.data for c in node.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE))


class Prop:
    def __init__(self, ns, prefix, local, node=None, value=None):
        self.ns, self.prefix, self.local, self.node, self.value = ns, prefix, local, node, value

    def shape(self):
        """('simple', text) | ('Seq'|'Bag'|'Alt', [Prop-like items]) | ('struct', [Prop])."""
        if self.node is None:
            return ('simple', self.value)
        n = self.node
        if n.getAttributeNS(RDF, 'resource'):
            return ('simple', n.getAttributeNS(RDF, 'resource'))
        if n.getAttributeNS(RDF, 'parseType') == 'Resource':
            return ('struct', resource_fields(n))
        kids = el_children(n)
        if not kids:
            attrs = [a for a in attr_props(n)]
            return ('struct', attrs) if attrs else ('simple', el_text(n))
        k = kids[0]
        if k.namespaceURI == RDF and k.localName in ('Seq', 'Bag', 'Alt'):
            return (k.localName, [c for c in el_children(k) if c.namespaceURI == RDF and c.localName == 'li'])
        if k.namespaceURI == RDF and k.localName == 'Description':
            return ('struct', resource_fields(k))
        return ('struct', resource_fields(n))


def attr_props(n):
    out = []
    for i in range(n.attributes.length):
        a = n.attributes.item(i)
        if a.namespaceURI in (RDF, XMLNS, 'http://www.w3.org/2000/xmlns/') or a.prefix in ('xmlns',) or a.name == 'xmlns':
            continue
        if a.namespaceURI is None:
            continue
        out.append(Prop(a.namespaceURI, a.prefix, a.localName, value=a.value))
    return out


def resource_fields(n):
    """The fields of a resource: a parseType="Resource" element, an rdf:li or
    an rdf:Description (child elements and attributes)."""
    if n.namespaceURI == RDF and n.localName == 'li':
        kids = el_children(n)
        if len(kids) == 1 and kids[0].namespaceURI == RDF and kids[0].localName == 'Description':
            n = kids[0]
    out = attr_props(n)
    for c in el_children(n):
        if c.namespaceURI == RDF and c.localName == 'Description':
            out.extend(resource_fields(c))
        else:
            out.append(Prop(c.namespaceURI, c.prefix, c.localName, node=c))
    return out


def li_text(li):
    return el_text(li).strip() if not el_children(li) else None


def value_ok(prop, vtype, value_types=()):
    kind, v = prop.shape()
    vtype = vtype.strip()
    if vtype == 'Lang Alt':
        return kind == 'Alt' and all(li.getAttributeNS(XMLNS, 'lang') for li in v)
    m = re.match(r'(Seq|Bag|Alt)\s+(.*)', vtype)
    if m:
        if kind != m.group(1):
            return False
        inner = m.group(2)
        if inner in SIMPLE_TYPES:
            return all(li_text(li) is not None and simple_ok(li_text(li), inner) for li in v)
        return True
    if vtype in SIMPLE_TYPES:
        return kind == 'simple' and simple_ok(v, vtype)
    if vtype.startswith(('Choice', 'Closed Choice', 'Open Choice')):
        return kind == 'simple'
    if vtype in STRUCT_TYPES or vtype in value_types:
        return kind == 'struct'
    return True


def simple_ok(v, t):
    v = (v or '').strip()
    if t == 'Integer':
        return re.fullmatch(r'[+-]?\d+', v) is not None
    if t == 'Real':
        return re.fullmatch(r'[+-]?(\d+\.?\d*|\.\d+)', v) is not None
    if t == 'Boolean':
        return v in ('True', 'False')
    if t == 'Date':
        return DATE_RE.fullmatch(v) is not None
    return True


def type_defined(vt, defined):
    vt = vt.strip()
    m = re.match(r'(Seq|Bag|Alt)\s+(.*)', vt)
    base = m.group(2) if m else vt
    return (vt == 'Lang Alt' or base in SIMPLE_TYPES or base in STRUCT_TYPES or base in defined
            or base.startswith(('Choice', 'Closed Choice', 'Open Choice')))


class Xmp:
    def __init__(self, data):
        self.props = []
        self.error = None
        self.data = data
        self.dom = None
        try:
            self.text = data.decode('utf-8')
        except UnicodeDecodeError as e:
            self.text = None
            self.error = f'not UTF-8 ({e})'
            return
        try:
            self.dom = xml.dom.minidom.parseString(data)
        except Exception as e:  # expat errors
            self.error = f'not well-formed XML: {e}'
            return
        rdfs = self.dom.getElementsByTagNameNS(RDF, 'RDF')
        if not rdfs:
            self.error = 'no rdf:RDF'
            return
        for desc in el_children(rdfs[0]):
            if desc.namespaceURI == RDF and desc.localName == 'Description':
                self.props.extend(attr_props(desc))
                for c in el_children(desc):
                    self.props.append(Prop(c.namespaceURI, c.prefix, c.localName, node=c))
            else:
                self.error = f'rdf:RDF holds {desc.tagName}, not rdf:Description'

    def get(self, ns, local):
        for p in self.props:
            if p.ns == ns and p.local == local:
                return p
        return None

    def simple(self, ns, local):
        p = self.get(ns, local)
        if p is None:
            return None
        kind, v = p.shape()
        if kind == 'simple':
            return (v or '').strip()
        if kind in ('Seq', 'Bag', 'Alt') and v:
            default = [li for li in v if li.getAttributeNS(XMLNS, 'lang') == 'x-default']
            return li_text((default or v)[0])
        return None


def check_xmp(pdf, rep, cat, info):
    md = pdf.r(cat.get('Metadata'))
    has = isinstance(md, Stream) and name(md.get('Type')) == 'Metadata' and name(md.get('Subtype')) == 'XML'
    rep.ua('7.1-8', has, 'the catalog has no Metadata stream of Type Metadata, Subtype XML')
    rep.a('6.6.2.1-1', has, 'the catalog has no Metadata stream of Type Metadata, Subtype XML')
    # every metadata stream of the file is well-formed XMP in UTF-8
    for ref, o in pdf.objs.items():
        if isinstance(o, Stream) and name(o.get('Type')) == 'Metadata' and o.data is not None:
            x = Xmp(o.data)
            w = where_ref(ref)
            pi = re.search(rb'<\?xpacket\s+begin=(.*?)\?>', o.data, re.S)
            attrs = pi.group(1) if pi else b''
            rep.a('6.6.2.1-2', re.search(rb'\bbytes\s*=', attrs) is None, f'{w}: xpacket header has bytes=')
            rep.a('6.6.2.1-3', re.search(rb'\bencoding\s*=', attrs) is None, f'{w}: xpacket header has encoding=')
            rep.a('6.6.2.1-5', x.text is not None and not o.data.startswith((b'\xfe\xff', b'\xff\xfe')),
                  f'{w}: the XMP packet is not UTF-8')
            rep.a('6.6.2.1-4', x.error is None, f'{w}: {x.error}')
    x = Xmp(md.data) if has and md.data is not None else None
    if x is None or x.error:
        why = 'no XMP metadata' if x is None else f'the XMP metadata cannot be read: {x.error}'
        rep.ua('5-1', False, why)
        rep.ua('7.1-9', False, why)
        rep.a('6.6.4-1', False, why)
        rep.x('xmp-2', False, why)
        return

    # PDF/UA identification
    ua = [p for p in x.props if p.ns == NS_PDFUAID]
    rep.ua('5-1', x.get(NS_PDFUAID, 'part') is not None, 'no pdfuaid:part in the XMP metadata')
    if ua:
        part = x.simple(NS_PDFUAID, 'part')
        rep.ua('5-2', part is not None and part.strip() == '1', f'pdfuaid:part is {part!r}')
        for local, rid in (('part', '5-3'), ('amd', '5-4'), ('corr', '5-5')):
            p = x.get(NS_PDFUAID, local)
            if p is not None:
                rep.ua(rid, p.prefix == 'pdfuaid', f'pdfuaid:{local} written with prefix {p.prefix!r}')
            elif local == 'part':
                rep.ua(rid, True)
    # PDF/A identification
    rep.a('6.6.4-1', x.get(NS_PDFAID, 'part') is not None, 'no pdfaid:part in the XMP metadata')
    if [p for p in x.props if p.ns == NS_PDFAID]:
        part = x.simple(NS_PDFAID, 'part')
        conf = x.simple(NS_PDFAID, 'conformance')
        rep.a('6.6.4-2', part == '2', f'pdfaid:part is {part!r}')
        rep.a('6.6.4-3', conf in ('U', 'A'), f'pdfaid:conformance is {conf!r}')
        for local, rid in (('part', '6.6.4-4'), ('conformance', '6.6.4-5'), ('amd', '6.6.4-6'), ('corr', '6.6.4-7')):
            p = x.get(NS_PDFAID, local)
            if p is not None:
                rep.a(rid, p.prefix == 'pdfaid', f'pdfaid:{local} written with prefix {p.prefix!r}')
    title = x.simple(NS_DC, 'title')
    rep.ua('7.1-9', bool(title), 'no dc:title in the XMP metadata')
    # Lang Alt with x-default needs the catalog's Lang
    has_lang = bool(text(cat.get('Lang')))
    for p in x.props:
        kind, v = p.shape()
        if kind == 'Alt' and any(li.getAttributeNS(XMLNS, 'lang') == 'x-default' for li in v):
            rep.ua('7.2-33', has_lang, f'{p.prefix}:{p.local} is x-default and the catalog has no Lang')

    # Extension schemas
    defined = {}
    value_types = set()
    ext = x.get(NS_EXT, 'schemas')
    if ext is not None:
        kind, lis = ext.shape()
        rep.a('6.6.2.3.3-1', kind == 'Bag' and ext.prefix == 'pdfaExtension',
              f'pdfaExtension:schemas is {kind} with prefix {ext.prefix!r}')
        for li in (lis if kind in ('Bag', 'Seq', 'Alt') else []):
            fields = resource_fields(li)
            check_ext_object(rep, fields, {NS_SCHEMA: {'schema', 'namespaceURI', 'prefix', 'property', 'valueType'}},
                             'schema')
            f = {(q.ns, q.local): q for q in fields}

            def field(ns, local, rid, pfx, kind_want, where):
                q = f.get((ns, local))
                if q is None:
                    if kind_want in ('Seq',):
                        return None
                    rep.a(rid, False, f'{where}: no {pfx}:{local}')
                    return None
                k2, v2 = q.shape()
                rep.a(rid, k2 == ('simple' if kind_want in ('Text', 'URI') else kind_want) and q.prefix == pfx,
                      f'{where}: {pfx}:{local} is {k2} with prefix {q.prefix!r}')
                return v2
            field(NS_SCHEMA, 'schema', '6.6.2.3.3-2', 'pdfaSchema', 'Text', 'extension schema')
            uri = field(NS_SCHEMA, 'namespaceURI', '6.6.2.3.3-3', 'pdfaSchema', 'URI', 'extension schema')
            field(NS_SCHEMA, 'prefix', '6.6.2.3.3-4', 'pdfaSchema', 'Text', 'extension schema')
            props = field(NS_SCHEMA, 'property', '6.6.2.3.3-5', 'pdfaSchema', 'Seq', f'schema {uri}') or []
            vts = field(NS_SCHEMA, 'valueType', '6.6.2.3.3-6', 'pdfaSchema', 'Seq', f'schema {uri}') or []
            for vli in vts if isinstance(vts, list) else []:
                vf = resource_fields(vli)
                check_ext_object(rep, vf, {NS_TYPE: {'type', 'namespaceURI', 'prefix', 'description', 'field'}}, 'valueType')
                g = {(q.ns, q.local): q for q in vf}
                for local, rid, kw in (('type', '6.6.2.3.3-11', 'Text'), ('namespaceURI', '6.6.2.3.3-12', 'URI'),
                                       ('prefix', '6.6.2.3.3-13', 'Text'), ('description', '6.6.2.3.3-14', 'Text')):
                    q = g.get((NS_TYPE, local))
                    rep.a(rid, q is not None and q.shape()[0] == 'simple' and q.prefix == 'pdfaType',
                          f'schema {uri}: value type field pdfaType:{local}')
                tq = g.get((NS_TYPE, 'type'))
                if tq is not None:
                    value_types.add((tq.shape()[1] or '').strip())
                fq = g.get((NS_TYPE, 'field'))
                if fq is not None:
                    k3, flis = fq.shape()
                    rep.a('6.6.2.3.3-15', k3 == 'Seq' and fq.prefix == 'pdfaType', f'schema {uri}: pdfaType:field')
                    for fli in flis if k3 == 'Seq' else []:
                        ff = resource_fields(fli)
                        check_ext_object(rep, ff, {NS_FIELD: {'name', 'valueType', 'description'}}, 'field')
                        h = {(q.ns, q.local): q for q in ff}
                        for local, rid in (('name', '6.6.2.3.3-16'), ('valueType', '6.6.2.3.3-17'),
                                           ('description', '6.6.2.3.3-18')):
                            q = h.get((NS_FIELD, local))
                            rep.a(rid, q is not None and q.shape()[0] == 'simple' and q.prefix == 'pdfaField',
                                  f'schema {uri}: pdfaField:{local}')
            for pli in props if isinstance(props, list) else []:
                pf = resource_fields(pli)
                check_ext_object(rep, pf, {NS_PROP: {'name', 'valueType', 'category', 'description'}}, 'property')
                g = {(q.ns, q.local): q for q in pf}
                nq, vq, cq, dq = (g.get((NS_PROP, k)) for k in ('name', 'valueType', 'category', 'description'))
                rep.a('6.6.2.3.3-7', nq is not None and nq.shape()[0] == 'simple' and nq.prefix == 'pdfaProperty',
                      f'schema {uri}: pdfaProperty:name')
                vt = (vq.shape()[1] or '').strip() if vq is not None and vq.shape()[0] == 'simple' else None
                rep.a('6.6.2.3.3-9', cq is not None and cq.shape()[0] == 'simple' and
                      (cq.shape()[1] or '').strip() in ('internal', 'external') and cq.prefix == 'pdfaProperty',
                      f'schema {uri}: pdfaProperty:category')
                rep.a('6.6.2.3.3-10', dq is not None and dq.shape()[0] == 'simple' and dq.prefix == 'pdfaProperty',
                      f'schema {uri}: pdfaProperty:description')
                if nq is not None and uri:
                    defined.setdefault(uri.strip(), {})[(nq.shape()[1] or '').strip()] = vt
                rep.check(('PDFA-2U', '6.6.2.3.3-8'), vq is not None and vt is not None and vq.prefix == 'pdfaProperty',
                          f'schema {uri}: pdfaProperty:valueType')
            for uri2, names in defined.items():
                for nm, vt in names.items():
                    if vt is not None:
                        rep.a('6.6.2.3.3-8', type_defined(vt, value_types), f'{nm}: value type {vt!r} is not defined')

    # every property: a predefined schema or one the extension schemas define, with a value of its type
    for p in x.props:
        if p.ns in (NS_EXT,):
            continue
        pre = PREDEFINED.get(p.ns, False)
        if pre is False:
            known = p.local in defined.get(p.ns, {})
            rep.a('6.6.2.3.1-1', known, f'{p.prefix}:{p.local} ({p.ns}) has no extension schema')
            if known and defined[p.ns][p.local]:
                rep.a('6.6.2.3.1-2', value_ok(p, defined[p.ns][p.local], value_types),
                      f'{p.prefix}:{p.local} is not a {defined[p.ns][p.local]}')
        elif pre is None:
            rep.a('6.6.2.3.1-1', True)
        else:
            rep.a('6.6.2.3.1-1', p.local in pre, f'{p.prefix}:{p.local} is not a property of its schema')
            if p.local in pre:
                rep.a('6.6.2.3.1-2', value_ok(p, pre[p.local], value_types), f'{p.prefix}:{p.local} is not a {pre[p.local]}')

    # issue 10: the fields and their agreement with Info. The dates come from
    # SOURCE_DATE_EPOCH like the Info dates (reproducible builds): required
    # in XMP exactly when Info has them.
    dated = info is not None and (info.get('CreationDate') is not None or info.get('ModDate') is not None)
    fields = (('dc:title', NS_DC, 'title'), ('dc:creator', NS_DC, 'creator'), ('dc:language', NS_DC, 'language'),
              ('pdf:Producer', NS_PDF, 'Producer'))
    if dated:
        fields += (('xmp:CreateDate', NS_XMP, 'CreateDate'), ('xmp:ModifyDate', NS_XMP, 'ModifyDate'))
    missing = [n for n, ns, loc in fields if x.get(ns, loc) is None]
    rep.x('xmp-2', not missing, 'missing ' + ', '.join(missing))
    pairs = (('Title', NS_DC, 'title'), ('Author', NS_DC, 'creator'), ('Subject', NS_DC, 'description'),
             ('Keywords', NS_PDF, 'Keywords'), ('Creator', NS_XMP, 'CreatorTool'), ('Producer', NS_PDF, 'Producer'),
             ('CreationDate', NS_XMP, 'CreateDate'), ('ModDate', NS_XMP, 'ModifyDate'))
    for key, ns, loc in pairs:
        iv = info.get(key)
        xv = x.simple(ns, loc)
        if iv is None and xv is None:
            continue
        if key in ('CreationDate', 'ModDate'):
            same = iv is not None and xv is not None and pdf_date(text(iv)) == xmp_date(xv)
        else:
            same = iv is not None and xv is not None and text(iv) == xv
        rep.x('xmp-1', same, f'Info {key} {text(iv) if iv is not None else None!r} ≠ XMP {xv!r}')


def check_ext_object(rep, fields, allowed, what):
    for q in fields:
        ok = q.ns in allowed and q.local in allowed[q.ns]
        rep.a('6.6.2.3.2-1', ok, f'extension schema {what}: undefined field {q.prefix}:{q.local}')


def pdf_date(s):
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Z+-])?(\d{2})?'?(\d{2})?", s or '')
    if not m:
        return None
    y, mo, d, h, mi, se = (m.group(k) or dflt for k, dflt in zip(range(1, 7), ('', '01', '01', '00', '00', '00')))
    tz = m.group(7)
    off = 0 if tz in (None, 'Z') else (1 if tz == '+' else -1) * (int(m.group(8) or 0) * 60 + int(m.group(9) or 0))
    return (y, mo, d, h, mi, se, off)


def xmp_date(s):
    m = re.match(r'(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?', s or '')
    if not m:
        return None
    y, mo, d, h, mi, se = (m.group(k) or dflt for k, dflt in zip(range(1, 7), ('', '01', '01', '00', '00', '00')))
    tz = m.group(7)
    off = 0 if tz in (None, 'Z') else (1 if tz[0] == '+' else -1) * (int(tz[1:3]) * 60 + int(tz[4:6]))
    return (y, mo, d, h, mi, se, off)

# ---- the structure tree -----------------------------------------------------------

STANDARD = set('''Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5
H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP
Warichu WT WP Figure Formula Form'''.split())


class Elem:
    def __init__(self, ref, d, parent, page):
        self.ref, self.d, self.parent, self.page = ref, d, parent, page
        self.kids = []
        self.content = []   # ('mc', key, mcid) | ('objr', Ref)
        self.S = name(d.get('S')) or ''
        self.std = None


def number_tree(pdf, node, out=None, depth=0):
    out = {} if out is None else out
    node = pdf.d(node)
    nums = pdf.arr(node.get('Nums'))
    for k in range(0, len(nums) - 1, 2):
        if isinstance(pdf.r(nums[k]), int):
            out[pdf.r(nums[k])] = nums[k + 1]
    if depth < 32:
        for kid in pdf.arr(node.get('Kids')):
            number_tree(pdf, kid, out, depth + 1)
    return out


class Tree:
    def __init__(self, pdf, rep, cat):
        self.pdf = pdf
        self.root_ref = cat.get('StructTreeRoot')
        self.root = pdf.d(self.root_ref)
        self.elems = []
        self.mcids = {}      # (key, mcid) -> [Elem]
        self.objrs = {}      # annotation Ref -> [Elem]
        self.rolemap = {str(k): name(pdf.r(v)) for k, v in pdf.d(self.root.get('RoleMap')).items()}
        self.classmap = pdf.d(self.root.get('ClassMap'))
        self.parent_tree = number_tree(pdf, self.root.get('ParentTree')) if self.root.get('ParentTree') is not None else {}
        seen = set()
        for k in pdf.arr(self.root.get('K')):
            self._walk(k, None, None, seen, 0)

    def _walk(self, k, parent, page, seen, depth):
        pdf = self.pdf
        if depth > 200:
            return
        ref = k if isinstance(k, Ref) else None
        d = pdf.r(k)
        if isinstance(d, int):
            if parent is not None:
                parent.content.append(('mc', ('page', page), d))
            return
        if not isinstance(d, dict):
            return
        t = name(d.get('Type'))
        if t == 'MCR':
            stm = d.get('Stm')
            pg = d.get('Pg', page)
            key = ('form', stm) if stm is not None else ('page', pg)
            if parent is not None and isinstance(pdf.r(d.get('MCID')), int):
                parent.content.append(('mc', key, pdf.r(d.get('MCID'))))
            return
        if t == 'OBJR':
            if parent is not None and isinstance(d.get('Obj'), Ref):
                parent.content.append(('objr', d.get('Obj')))
            return
        if ref is not None:
            if ref in seen:
                return
            seen.add(ref)
        e = Elem(ref, d, parent, d.get('Pg', page))
        e.std = self.std_type(e.S)
        self.elems.append(e)
        if parent is not None:
            parent.kids.append(e)
        for kid in pdf.arr(d.get('K')):
            self._walk(kid, e, e.page, seen, depth + 1)
        for c in e.content:
            if c[0] == 'mc':
                self.mcids.setdefault((c[1], c[2]), []).append(e)
            else:
                self.objrs.setdefault(c[1], []).append(e)
        e.parent_is_root = parent is None

    def std_type(self, s):
        if s in STANDARD:
            return s
        seen = set()
        t = s
        while t not in STANDARD:
            if t in seen:
                return 'CYCLE'
            seen.add(t)
            t = self.rolemap.get(t)
            if t is None:
                return None
        return t

    def attr(self, e, owner, key):
        pdf = self.pdf
        sources = []
        a = pdf.r(e.d.get('A'))
        for x in (a if isinstance(a, list) else [a] if a is not None else []):
            x = pdf.r(x)
            if isinstance(x, dict):
                sources.append(x)
        c = pdf.r(e.d.get('C'))
        for cl in (c if isinstance(c, list) else [c] if c is not None else []):
            if isinstance(cl, Name):
                v = pdf.r(self.classmap.get(str(cl)))
                for x in (v if isinstance(v, list) else [v]):
                    if isinstance(pdf.r(x), dict):
                        sources.append(pdf.r(x))
        for s in sources:
            if name(s.get('O')) == owner and key in s:
                return pdf.r(s.get(key))
        return None

    def lang_of(self, e):
        while e is not None:
            if text(e.d.get('Lang')):
                return text(e.d.get('Lang'))
            e = e.parent
        return None


def kid_types(e):
    return [k.std or k.S for k in e.kids]


def check_tree(pdf, rep, cat, tree, walker, pages):
    root = tree.root
    rep.ua('7.1-11', bool(root) and name(root.get('Type')) in (None, 'StructTreeRoot'), 'the catalog has no StructTreeRoot')
    for pno, pref, page in pages:
        rep.x('tree-2', isinstance(pdf.r(page.get('StructParents')), int), f'page {pno} has no StructParents')
    if not root:
        rep.x('tree-1', False, 'no StructTreeRoot')
        return
    rep.x('tree-1', root.get('ParentTree') is not None and isinstance(pdf.r(root.get('ParentTreeNextKey')), int),
          'StructTreeRoot lacks ' + ' and '.join(k for k in ('ParentTree', 'ParentTreeNextKey')
                                                  if root.get(k) is None))
    if tree.parent_tree:
        nk = pdf.r(root.get('ParentTreeNextKey'))
        rep.x('tree-5', isinstance(nk, int) and nk > max(tree.parent_tree),
              f'ParentTreeNextKey {nk}, largest key {max(tree.parent_tree)}')
    # RoleMap
    for k, v in tree.rolemap.items():
        if k in STANDARD:
            pass
    has_lang = bool(text(cat.get('Lang')))
    ids_note = {}
    heading_level = 0
    uses_h = any(e.std == 'H' for e in tree.elems)
    uses_hn = any(e.std and re.fullmatch(r'H[1-6]', e.std) for e in tree.elems)
    for e in tree.elems:
        w = f'{e.S} {where_ref(e.ref)}' if e.ref else e.S
        par = e.parent.std if e.parent is not None else None
        kids = kid_types(e)
        rep.ua('7.1-12', 'P' in e.d, f'{w} has no P')
        expected_p = e.parent.ref if e.parent is not None else tree.root_ref
        rep.x('tree-7', e.d.get('P') == expected_p, f'{w}: P is {e.d.get("P")}, parent is {expected_p}')
        if isinstance(e.d.get('S'), Name):
            rep.a('6.1.8-1', e.d.get('S').valid, f'{w}: structure type is not UTF-8')
        if e.S not in STANDARD:
            rep.ua('7.1-5', e.std not in (None, 'CYCLE'), f'{w}: /{e.S} is not mapped to a standard type')
        if e.std == 'CYCLE' or (e.S in tree.rolemap and tree.std_type(tree.rolemap[e.S]) == 'CYCLE'):
            rep.ua('7.1-6', False, f'{w}: circular role mapping')
        else:
            rep.ua('7.1-6', True)
        rep.ua('7.1-7', not (e.S in STANDARD and e.S in tree.rolemap), f'{w}: standard type /{e.S} is remapped')
        if text(e.d.get('Lang')) is not None or 'Lang' in e.d:
            lang = text(e.d.get('Lang'))
            rep.ua('7.2-29', lang is not None and LANG_RE.fullmatch(lang) is not None, f'{w}: Lang {lang!r}')
        lang_known = bool(tree.lang_of(e)) or has_lang
        for k, rid in (('ActualText', '7.2-21'), ('Alt', '7.2-22'), ('E', '7.2-23')):
            if e.d.get(k) is not None:
                rep.ua(rid, lang_known, f'{w}: {k} without a language')
        rep.ua('7.4.4-1', kids.count('H') <= 1, f'{w}: {kids.count("H")} H children')
        s = e.std
        if s == 'Table':
            rep.ua('7.2-3', all(k in ('TR', 'THead', 'TBody', 'TFoot', 'Caption') for k in kids), f'{w}: children {kids}')
            rep.ua('7.2-11', kids.count('THead') <= 1, f'{w}: {kids.count("THead")} THead')
            rep.ua('7.2-12', kids.count('TFoot') <= 1, f'{w}: {kids.count("TFoot")} TFoot')
            rep.ua('7.2-13', 'TFoot' not in kids or 'TBody' in kids, f'{w}: TFoot without TBody')
            rep.ua('7.2-14', 'THead' not in kids or 'TBody' in kids, f'{w}: THead without TBody')
            rep.ua('7.2-16', 'Caption' not in kids[1:-1], f'{w}: Caption neither first nor last')
            rep.ua('7.2-39', kids.count('Caption') < 2, f'{w}: {kids.count("Caption")} Captions')
            check_table(pdf, rep, tree, e, w)
        elif s == 'TR':
            rep.ua('7.2-4', par in ('Table', 'THead', 'TBody', 'TFoot'), f'{w} in {par}')
            rep.ua('7.2-10', all(k in ('TH', 'TD') for k in kids), f'{w}: children {kids}')
        elif s == 'THead':
            rep.ua('7.2-5', par == 'Table', f'{w} in {par}')
            rep.ua('7.2-36', all(k == 'TR' for k in kids), f'{w}: children {kids}')
        elif s == 'TBody':
            rep.ua('7.2-6', par == 'Table', f'{w} in {par}')
            rep.ua('7.2-37', all(k == 'TR' for k in kids), f'{w}: children {kids}')
        elif s == 'TFoot':
            rep.ua('7.2-7', par == 'Table', f'{w} in {par}')
            rep.ua('7.2-38', all(k == 'TR' for k in kids), f'{w}: children {kids}')
        elif s == 'TH':
            rep.ua('7.2-8', par == 'TR', f'{w} in {par}')
        elif s == 'TD':
            rep.ua('7.2-9', par == 'TR', f'{w} in {par}')
        elif s == 'L':
            rep.ua('7.2-19', all(k in ('L', 'LI', 'Caption') for k in kids), f'{w}: children {kids}')
            rep.ua('7.2-40', 'Caption' not in kids[1:], f'{w}: Caption not first')
        elif s == 'LI':
            rep.ua('7.2-17', par == 'L', f'{w} in {par}')
            rep.ua('7.2-20', all(k in ('Lbl', 'LBody') for k in kids), f'{w}: children {kids}')
        elif s == 'LBody':
            rep.ua('7.2-18', par == 'LI', f'{w} in {par}')
        elif s == 'TOCI':
            rep.ua('7.2-26', par == 'TOC', f'{w} in {par}')
        elif s == 'TOC':
            rep.ua('7.2-27', all(k in ('TOC', 'TOCI', 'Caption') for k in kids), f'{w}: children {kids}')
            rep.ua('7.2-28', 'Caption' not in kids[1:], f'{w}: Caption not first')
        elif s == 'Figure':
            alt = text(e.d.get('Alt'))
            rep.ua('7.3-1', bool(alt) or e.d.get('ActualText') is not None, f'{w} has no Alt or ActualText')
        elif s == 'Formula':
            alt = text(e.d.get('Alt'))
            rep.ua('7.7-1', bool(alt) or e.d.get('ActualText') is not None, f'{w} has no Alt or ActualText')
        elif s == 'Note':
            nid = text(e.d.get('ID'))
            rep.ua('7.9-1', bool(nid), f'{w} has no ID')
            if nid:
                ids_note.setdefault(nid, []).append(w)
        elif s == 'Form':
            role = tree.attr(e, 'PrintField', 'Role')
            objs = [c for c in e.content if c[0] == 'objr']
            rep.ua('7.18.4-2', role is not None or (len(objs) == 1 and not e.kids and len(e.content) == 1),
                   f'{w}: no Role and not one widget')
        elif s == 'H':
            rep.ua('7.4.4-2', not uses_hn, f'{w}: H and H1–H6 both used')
        if s and re.fullmatch(r'H[1-6]', s):
            level = int(s[1])
            rep.ua('7.4.2-1', level <= heading_level + 1, f'{w} follows H{heading_level}' if heading_level else f'{w} is the first heading')
            heading_level = level
            rep.ua('7.4.4-3', not uses_h, f'{w}: H and H1–H6 both used')
    for nid, ws in ids_note.items():
        for w in ws:
            rep.ua('7.9-2', len(ws) == 1, f'{w}: Note ID {nid} used {len(ws)} times')

    # marked content <-> tree <-> parent tree
    for (key, mcid), els in tree.mcids.items():
        rep.x('tree-6', len(els) == 1, f'MCID {mcid} of {key[0]} {where_ref(key[1])} is referenced by {len(els)} elements')
    for key, lst in walker.mcids_on.items():
        count = {}
        for mcid, w in lst:
            count[mcid] = count.get(mcid, 0) + 1
        for mcid, c in count.items():
            rep.x('tree-6', c == 1, f'MCID {mcid} used {c} times in {key[0]} {where_ref(key[1])}')
        holder = pdf.d(key[1])
        sp = pdf.r(holder.get('StructParents'))
        arr = pdf.arr(tree.parent_tree.get(sp)) if isinstance(sp, int) else []
        for mcid in sorted(count):
            target = pdf.r(arr[mcid]) if mcid < len(arr) else None
            els = tree.mcids.get((key, mcid), [])
            ok = isinstance(sp, int) and mcid < len(arr) and any(arr[mcid] == el.ref for el in els)
            rep.x('tree-3', ok, f'{key[0]} {where_ref(key[1])} MCID {mcid}: ' +
                  ('no StructParents' if not isinstance(sp, int) else
                   'not referenced by the tree' if not els else
                   'ParentTree entry missing' if target is None else 'ParentTree entry is another element'))


def check_table(pdf, rep, tree, table, w):
    """Regular-table rules (7.2-15, 7.2-41..43), connected headers (7.5) and
    TH Scope (table-1), on the grid of rows and spans as veraPDF builds it."""
    rows = []
    for k in table.kids:
        if k.std == 'TR':
            rows.append(k)
        elif k.std in ('THead', 'TBody', 'TFoot'):
            rows.extend(r for r in k.kids if r.std == 'TR')

    def cells(tr):
        return [c for c in tr.kids if c.std in ('TH', 'TD')]

    def span(c, key):
        v = tree.attr(c, 'Table', key)
        return v if isinstance(v, int) and v > 0 else 1
    nrows = 0
    k = 0
    while k < len(rows):
        cs = cells(rows[k])
        if cs:
            rs = span(cs[0], 'RowSpan')
            nrows += rs
            k += rs
        else:
            k += 1
    if not rows or nrows == 0:
        return
    ncols = sum(span(c, 'ColSpan') for c in cells(rows[0]))
    grid = [[None] * ncols for _ in range(nrows)]
    pos = {}
    regular = True
    for r, tr in enumerate(rows):
        if r >= nrows:
            break
        col = 0
        for c in cells(tr):
            cspan, rspan = span(c, 'ColSpan'), span(c, 'RowSpan')
            while col < ncols and grid[r][col] is not None:
                col += 1
            if col + cspan > ncols:
                rep.ua('7.2-43' if cspan > 1 else '7.2-42', False, f'{w}: row {r + 1} is wider than the first row ({ncols} columns)')
                regular = False
                break
            if r + rspan > nrows:
                rep.ua('7.2-41', False, f'{w}: column {col + 1} has a RowSpan past the last row')
                regular = False
                break
            clash = any(grid[r + i][col + j] is not None for i in range(rspan) for j in range(cspan))
            rep.ua('7.2-15', not clash, f'{w}: a cell of row {r + 1} overlaps another')
            if clash:
                regular = False
                break
            for i in range(rspan):
                for j in range(cspan):
                    grid[r + i][col + j] = c
            pos[id(c)] = (r, col, rspan, cspan)
            col += cspan
        if not regular:
            break
    if regular:
        for r in range(nrows):
            empty = sum(1 for x in grid[r] if x is None)
            if empty:
                rep.ua('7.2-42', False, f'{w}: row {r + 1} has {ncols - empty} of {ncols} columns')
                regular = False
                break
    if regular:
        rep.ua('7.2-41', True)
        rep.ua('7.2-42', True)
        rep.ua('7.2-43', True)
        rep.ua('7.2-15', True)
    else:
        return
    ths = [c for row in grid for c in row if c is not None and c.std == 'TH']
    ids = {text(c.d.get('ID')) or (c.d.get('ID').raw.decode('latin-1') if isinstance(c.d.get('ID'), PStr) else None)
           for c in ths} - {None, ''}
    all_scope = all(isinstance(tree.attr(c, 'Table', 'Scope'), Name) for c in ths)

    def scope_is(c, want):
        if c is None or c.std != 'TH':
            return False
        s = name(tree.attr(c, 'Table', 'Scope'))
        return s == 'Both' or s == want

    def connected(r, col, rspan, cspan):
        if r > 0:
            for cc in range(col, col + cspan):
                found = False
                for rr in range(r - 1, -1, -1):
                    if scope_is(grid[rr][cc], 'Column'):
                        return True
                    if grid[rr][cc].std == 'TH':
                        found = True
                    elif found:
                        break
        if col > 0:
            for rr in range(r, r + rspan):
                found = False
                for cc in range(col - 1, -1, -1):
                    if scope_is(grid[rr][cc], 'Row'):
                        return True
                    if grid[rr][cc].std == 'TH':
                        found = True
                    elif found:
                        break
        return False
    all_headers = True
    for row in grid:
        for c in row:
            if c is None or c.std != 'TD' or id(c) not in pos:
                continue
            r, col, rspan, cspan = pos[id(c)]
            if grid[r][col] is not c:
                continue
            hd = tree.attr(c, 'Table', 'Headers')
            hl = [text(h) for h in (hd if isinstance(hd, list) else [])]
            has_headers = bool(hl) and all(h in ids for h in hl)
            all_headers = all_headers and has_headers
            if has_headers or connected(r, col, rspan, cspan):
                rep.ua('7.5-1', True)
                rep.ua('7.5-2', True)
                continue
            unknown = [h for h in hl if h not in ids]
            wc = f'{w}: TD at row {r + 1}, column {col + 1} has no connected header'
            if unknown:
                rep.ua('7.5-2', False, wc + f' (unknown Headers {unknown})')
            else:
                rep.ua('7.5-1', False, wc)
            pos.pop(id(c))
    rep.x('table-1', all_scope or all_headers, f'{w}: a TH without Scope and a TD without Headers')

# ---- pages, annotations, the document ------------------------------------------

ANNOT_TYPES = {'Text', 'Link', 'FreeText', 'Line', 'Square', 'Circle', 'Polygon', 'PolyLine', 'Highlight',
               'Underline', 'Squiggly', 'StrikeOut', 'Stamp', 'Caret', 'Ink', 'Popup', 'FileAttachment', 'Widget',
               'PrinterMark', 'TrapNet', 'Watermark', 'Redact'}
ACTIONS = {'GoTo', 'GoToR', 'GoToE', 'Thread', 'URI', 'Named', 'SubmitForm'}
FILTERS = {'ASCIIHexDecode', 'ASCII85Decode', 'FlateDecode', 'RunLengthDecode', 'CCITTFaxDecode', 'JBIG2Decode',
           'DCTDecode', 'JPXDecode'}


def collect_pages(pdf, cat):
    out = []
    seen = set()

    def walk(ref, inherited, depth):
        if depth > 64 or ref in seen:
            return
        seen.add(ref)
        node = pdf.d(ref)
        inh = dict(inherited)
        for k in ('Resources', 'MediaBox', 'CropBox', 'Rotate'):
            if node.get(k) is not None:
                inh[k] = node.get(k)
        if name(node.get('Type')) == 'Pages' or (node.get('Kids') is not None and name(node.get('Type')) != 'Page'):
            for kid in pdf.arr(node.get('Kids')):
                walk(kid, inh, depth + 1)
        else:
            page = dict(node)
            page.update({k: v for k, v in inh.items() if k not in node})
            out.append((len(out) + 1, ref, page))
    walk(cat.get('Pages'), {}, 0)
    return out


def rect(pdf, v):
    a = [pdf.r(x) for x in pdf.arr(v)]
    if len(a) == 4 and all(num(x) is not None for x in a):
        return (min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3]))
    return None


def all_resources_fonts(pdf, pages):
    """Every font dictionary reachable from page, form, pattern, Type 3 and
    appearance resources."""
    fonts = {}
    seen = set()

    def scan_res(res, depth):
        res = pdf.d(res)
        for _n, f in pdf.d(res.get('Font')).items():
            key = f if isinstance(f, Ref) else id(f)
            if key not in fonts:
                fonts[key] = (f if isinstance(f, Ref) else None, pdf.d(f))
                fd = pdf.d(f)
                if name(fd.get('Subtype')) == 'Type3' and depth < 8:
                    scan_res(fd.get('Resources'), depth + 1)
        for cat in ('XObject', 'Pattern'):
            for _n, x in pdf.d(res.get(cat)).items():
                if isinstance(x, Ref) and x in seen:
                    continue
                if isinstance(x, Ref):
                    seen.add(x)
                xo = pdf.r(x)
                if isinstance(xo, Stream) and depth < 8:
                    scan_res(xo.get('Resources'), depth + 1)
    for _pno, _ref, page in pages:
        scan_res(page.get('Resources'), 0)
        for a in pdf.arr(page.get('Annots')):
            ap = pdf.d(pdf.d(a).get('AP'))
            for k in ('N', 'R', 'D'):
                v = pdf.r(ap.get(k))
                streams = [v] if isinstance(v, Stream) else [pdf.r(x) for x in (v or {}).values()] if isinstance(v, dict) else []
                for s in streams:
                    if isinstance(s, Stream):
                        scan_res(s.get('Resources'), 1)
    return list(fonts.values())


def check_actions(pdf, rep, action, where, depth=0):
    a = pdf.d(action)
    if not a or depth > 16:
        return
    s = name(a.get('S'))
    rep.a('6.5.1-1', s in ACTIONS, f'{where}: {s} action')
    if s == 'Named':
        n = name(a.get('N'))
        rep.a('6.5.1-2', n in ('NextPage', 'PrevPage', 'FirstPage', 'LastPage'), f'{where}: named action {n}')
    for nxt in pdf.arr(a.get('Next')):
        check_actions(pdf, rep, nxt, where, depth + 1)


def check_document(pdf, rep):
    tr = pdf.trailer
    cat = pdf.d(tr.get('Root'))
    info = pdf.d(tr.get('Info'))
    ids = pdf.arr(tr.get('ID'))
    rep.a('6.1.3-1', len(ids) == 2 and all(isinstance(pdf.r(i), PStr) and pdf.r(i).raw for i in ids),
          'the trailer has no ID' if not ids else 'the trailer ID is not two non-empty strings')
    rep.a('6.1.3-2', tr.get('Encrypt') is None, 'the trailer has Encrypt')
    enc = pdf.d(tr.get('Encrypt'))
    if enc:
        p = pdf.r(enc.get('P'))
        rep.ua('7.16-1', isinstance(p, int) and (p & 512) == 512, f'encryption P {p}')
    mi = pdf.d(cat.get('MarkInfo'))
    rep.ua('6.2-1', mi.get('Marked') is True, 'the catalog has no MarkInfo' if not mi else f'MarkInfo/Marked is {mi.get("Marked")}')
    rep.ua('7.1-4', mi.get('Suspects') is not True, 'MarkInfo/Suspects is true')
    vp = pdf.d(cat.get('ViewerPreferences'))
    rep.ua('7.1-10', vp.get('DisplayDocTitle') is True, 'ViewerPreferences/DisplayDocTitle is not true')
    lang = text(cat.get('Lang'))
    rep.x('lang-1', bool(lang), 'the catalog has no Lang')
    if cat.get('Lang') is not None:
        rep.ua('7.2-29', lang is not None and LANG_RE.fullmatch(lang) is not None, f'catalog Lang {lang!r}')
    has_lang = bool(lang)
    if cat.get('Outlines') is not None and pdf.d(cat.get('Outlines')).get('First') is not None:
        rep.ua('7.2-2', has_lang, 'outline entries and no catalog Lang')
        node = pdf.d(cat.get('Outlines')).get('First')
        stack, seen = [node], set()
        while stack:
            ref = stack.pop()
            if ref in seen or ref is None:
                continue
            seen.add(ref)
            o = pdf.d(ref)
            if o.get('A') is not None:
                check_actions(pdf, rep, o.get('A'), f'outline item {where_ref(ref)}')
            stack.extend(x for x in (o.get('First'), o.get('Next')) if x is not None)
    oa = pdf.r(cat.get('OpenAction'))
    if isinstance(oa, dict):
        check_actions(pdf, rep, oa, 'OpenAction')
    rep.a('6.5.2-1', cat.get('AA') is None, 'the catalog has AA')
    rep.a('6.4.2-2', cat.get('NeedsRendering') is not True, 'the catalog has NeedsRendering true')
    rep.a('6.11-1', cat.get('Requirements') is None, 'the catalog has Requirements')
    names = pdf.d(cat.get('Names'))
    rep.a('6.10-1', names.get('AlternatePresentations') is None, 'the name dictionary has AlternatePresentations')
    perms = pdf.d(cat.get('Perms'))
    if perms:
        rep.a('6.1.12-1', all(k in ('UR3', 'DocMDP') for k in perms), f'Perms keys {list(perms)}')
    # Optional content
    ocp = pdf.d(cat.get('OCProperties'))
    if ocp:
        confs = [pdf.d(ocp.get('D'))] + [pdf.d(c) for c in pdf.arr(ocp.get('Configs'))]
        names_seen = []
        all_ocgs = set(x for x in pdf.arr(ocp.get('OCGs')) if isinstance(x, Ref))
        for c in confs:
            nm = text(c.get('Name'))
            rep.a('6.9-1', bool(nm), 'an optional content configuration has no Name')
            rep.ua('7.10-1', bool(nm), 'an optional content configuration has no Name')
            rep.a('6.9-2', nm not in names_seen, f'optional content configuration Name {nm!r} twice')
            names_seen.append(nm)
            rep.a('6.9-4', c.get('AS') is None, 'an optional content configuration has AS')
            rep.ua('7.10-2', c.get('AS') is None, 'an optional content configuration has AS')
            if c.get('Order') is not None:
                flat, st = set(), [c.get('Order')]
                while st:
                    v = pdf.r(st.pop()) if not isinstance(st[-1], Ref) else st.pop()
                    if isinstance(v, Ref):
                        flat.add(v)
                        continue
                    if isinstance(v, list):
                        st.extend(v)
                rep.a('6.9-3', all_ocgs <= flat, 'Order does not list every OCG')
    # AcroForm
    af = pdf.d(cat.get('AcroForm'))
    if af:
        rep.a('6.4.1-3', af.get('NeedAppearances') in (None, False), 'NeedAppearances is true')
        rep.a('6.4.2-1', af.get('XFA') is None, 'AcroForm has XFA')
        if af.get('XFA') is not None:
            rep.unsupported(('PDFUA-1', '7.15-1'), 'an XFA form')
        fields, st = [], list(pdf.arr(af.get('Fields')))
        while st and len(fields) < 10000:
            f = pdf.d(st.pop())
            fields.append(f)
            st.extend(pdf.arr(f.get('Kids')))
        for f in fields:
            if f.get('FT') is not None or f.get('T') is not None:
                rep.a('6.4.1-2', f.get('AA') is None, 'a form field has AA')
                if f.get('TU') is not None:
                    rep.ua('7.2-25', has_lang, 'form field TU without a language')
    # embedded files and file specifications
    for ref, o in pdf.objs.items():
        d = o.dict if isinstance(o, Stream) else o
        if not isinstance(d, dict):
            continue
        t = name(d.get('Type'))
        if t == 'Filespec' or d.get('EF') is not None:
            has_ef = d.get('EF') is not None
            rep.a('6.8-2', not has_ef or (d.get('F') is not None and d.get('UF') is not None), f'{where_ref(ref)}: no F or UF')
            rep.ua('7.11-1', not has_ef or (bool(text(d.get('F'))) and bool(text(d.get('UF')))), f'{where_ref(ref)}: empty F or UF')
            if has_ef:
                rep.unsupported(('PDFA-2U', '6.8-5'), f'embedded file {where_ref(ref)}')
        if t == 'Sig' or (name(d.get('Filter')) in ('Adobe.PPKLite', 'Adobe.PPKMS') and d.get('ByteRange') is not None):
            for rid in ('6.4.3-1', '6.4.3-2', '6.4.3-3'):
                rep.unsupported(('PDFA-2U', rid), f'signature {where_ref(ref)}')
        if name(d.get('Type')) == 'SigRef':
            rep.a('6.1.12-2', not any(k in d for k in ('DigestLocation', 'DigestMethod', 'DigestValue')), f'{where_ref(ref)}')
    return cat, info


def check_streams(pdf, rep):
    for ref, d in pdf.orig.items():
        w = where_ref(ref)
        rep.a('6.1.7.1-3', not any(k in d for k in ('F', 'FFilter', 'FDecodeParms')), f'{w}: F, FFilter or FDecodeParms')
        f = pdf.r(d.get('Filter'))
        parms = pdf.arr(d.get('DecodeParms'))
        for k, fl in enumerate(f if isinstance(f, list) else [f] if f is not None else []):
            fl = name(pdf.r(fl))
            ok = fl in FILTERS or (fl == 'Crypt' and k < len(parms) and name(pdf.d(parms[k]).get('Name')) in (None, 'Identity'))
            rep.a('6.1.7.2-1', ok, f'{w}: filter {fl}')


def check_output_intents(pdf, rep, cat):
    ois = [pdf.d(o) for o in pdf.arr(cat.get('OutputIntents'))]
    profiles = []
    out_cs = None
    for o in ois:
        p = o.get('DestOutputProfile')
        rep.a('6.2.3-3', name(o.get('S')) != 'GTS_PDFX' or o.get('DestOutputProfileRef') is None, 'DestOutputProfileRef')
        if p is not None:
            profiles.append(p)
            s = pdf.r(p)
            data = s.data if isinstance(s, Stream) and s.data else b''
            cls, cs, ver = data[12:16], data[16:20], (data[8] + (data[9] >> 4) / 10) if len(data) > 9 else 99
            rep.a('6.2.3-1', cls in (b'prtr', b'mntr') and cs in (b'RGB ', b'CMYK', b'GRAY') and ver < 5.0,
                  f'output profile class {cls!r}, colour space {cs!r}, version {ver}')
            if name(o.get('S')) == 'GTS_PDFA1':
                out_cs = cs.decode('latin-1')
                ncomp = {'RGB ': 3, 'CMYK': 4, 'GRAY': 1}.get(out_cs)
                n = s.get('N') if isinstance(s, Stream) else None
                rep.x('oi-1', n == ncomp, f'DestOutputProfile N {n}, ICC colour space {out_cs!r}')
    if len(ois) > 1:
        rep.a('6.2.3-2', len(set(map(str, profiles))) <= 1 and all(isinstance(p, Ref) for p in profiles),
              'the OutputIntents have different DestOutputProfiles')
    if not any(name(o.get('S')) == 'GTS_PDFA1' and o.get('DestOutputProfile') is not None for o in ois):
        rep.x('oi-1', False, 'no GTS_PDFA1 OutputIntent with a DestOutputProfile')
    return out_cs


def check_colour(pdf, rep, walker, out_cs, pages):
    def icc(ref, where):
        s = pdf.r(ref)
        data = s.data if isinstance(s, Stream) and s.data else b''
        cls, cs, ver = data[12:16], data[16:20], (data[8] + (data[9] >> 4) / 10) if len(data) > 9 else 99
        rep.a('6.2.4.2-1', cls in (b'prtr', b'mntr', b'scnr', b'spac') and cs in (b'RGB ', b'CMYK', b'GRAY', b'Lab ')
              and ver < 5.0, f'{where}: ICC profile class {cls!r} colour space {cs!r} version {ver}')
        return cs
    default = {}
    for pno, _ref, page in pages:
        csd = pdf.d(pdf.d(page.get('Resources')).get('ColorSpace'))
        for k in ('DefaultRGB', 'DefaultGray', 'DefaultCMYK'):
            if csd.get(k) is not None:
                default[k] = True
    for pno, _ref, page in pages:
        if walker.transparency.get(pno):
            grp = pdf.d(page.get('Group'))
            rep.a('6.2.10-2', out_cs is not None or grp.get('CS') is not None, f'page {pno}: transparency without a blending colour space')
    # graphics states, images, form XObjects: every one in the file
    for ref, o in pdf.objs.items():
        d = o.dict if isinstance(o, Stream) else o
        if not isinstance(d, dict):
            continue
        w = where_ref(ref)
        t = name(d.get('Type'))
        st = name(d.get('Subtype'))
        if t == 'ExtGState' or (t is None and any(k in d for k in ('TR', 'TR2', 'HTP', 'BM', 'SMask', 'CA', 'ca', 'OPM')) and not isinstance(o, Stream) and 'Subtype' not in d):
            rep.a('6.2.5-1', 'TR' not in d, f'{w}: ExtGState has TR')
            rep.a('6.2.5-2', 'TR2' not in d or name(d.get('TR2')) == 'Default', f'{w}: ExtGState TR2')
            rep.a('6.2.5-3', 'HTP' not in d, f'{w}: ExtGState has HTP')
            for bm in pdf.arr(d.get('BM')):
                rep.a('6.2.10-1', name(bm) in ('Normal', 'Compatible', 'Multiply', 'Screen', 'Overlay', 'Darken', 'Lighten',
                                               'ColorDodge', 'ColorBurn', 'HardLight', 'SoftLight', 'Difference',
                                               'Exclusion', 'Hue', 'Saturation', 'Color', 'Luminosity'), f'{w}: BM {bm}')
            if d.get('RI') is not None:
                rep.a('6.2.6-1', name(d.get('RI')) in INTENTS, f'{w}: RI {d.get("RI")}')
            if d.get('OPM') == 1 and (d.get('OP') is True or d.get('op') is True):
                if any(isinstance(cs, tuple) and cs[0] == 'ICCBased' and
                       getattr(pdf.r(cs[1]), 'get', lambda k: None)('N') == 4 for cs, _ in walker.colour):
                    rep.a('6.2.4.2-2', False, f'{w}: overprint mode 1 with ICCBased CMYK')
            ht = pdf.r(d.get('HT'))
            if ht is not None and not isinstance(ht, Name):
                hd = ht.dict if isinstance(ht, Stream) else ht if isinstance(ht, dict) else {}
                rep.a('6.2.5-4', hd.get('HalftoneType') in (1, 5), f'{w}: HalftoneType {hd.get("HalftoneType")}')
                rep.a('6.2.5-5', 'HalftoneName' not in hd, f'{w}: HalftoneName')
                if 'TransferFunction' in hd:
                    rep.unsupported(('PDFA-2U', '6.2.5-6'), f'{w}: a halftone TransferFunction')
        if isinstance(o, Stream) and st == 'Image':
            rep.a('6.2.8-1', 'Alternates' not in d, f'{w}: image Alternates')
            rep.a('6.2.8-2', 'OPI' not in d, f'{w}: image OPI')
            rep.a('6.2.8-3', d.get('Interpolate') in (None, False), f'{w}: image Interpolate')
            if d.get('ImageMask') is True:
                rep.a('6.2.8-5', d.get('BitsPerComponent') in (None, 1), f'{w}: mask BitsPerComponent')
            else:
                rep.a('6.2.8-4', d.get('BitsPerComponent') in (None, 1, 2, 4, 8, 16), f'{w}: BitsPerComponent')
            if d.get('Intent') is not None:
                rep.a('6.2.6-1', name(d.get('Intent')) in INTENTS, f'{w}: Intent {d.get("Intent")}')
            flt = pdf.orig.get(ref, {}).get('Filter')
            if 'JPXDecode' in [name(x) for x in (flt if isinstance(flt, list) else [flt])]:
                for k in range(1, 6):
                    rep.unsupported(('PDFA-2U', f'6.2.8.3-{k}'), f'{w}: a JPEG 2000 image')
            cs = colour_space_kind(pdf, d.get('ColorSpace'))
            if cs is not None:
                walker.colour.add((cs, f'image {w}'))
        if isinstance(o, Stream) and st == 'Form':
            rep.a('6.2.9-1', name(d.get('Subtype2')) != 'PS' and 'PS' not in d and 'OPI' not in d, f'{w}: form PS or OPI')
            rep.a('6.2.9-2', 'Ref' not in d, f'{w}: a reference XObject')
            rep.ua('7.20-1', 'Ref' not in d, f'{w}: a reference XObject')
        if isinstance(o, Stream) and st == 'PS':
            rep.a('6.2.9-3', False, f'{w}: a PostScript XObject')
        if isinstance(o, Stream) and t == 'XObject' and st not in ('Image', 'Form', 'PS'):
            pass
    for ic, w in walker.images:
        d = ic.dict if isinstance(ic, Stream) else ic
        if isinstance(ic, dict):
            rep.a('6.2.8-3', d.get('I', d.get('Interpolate')) in (None, False), f'{w}: inline image interpolates')
            bpc = d.get('BPC', d.get('BitsPerComponent'))
            if d.get('IM', d.get('ImageMask')) is True:
                rep.a('6.2.8-5', bpc in (None, 1), f'{w}: inline mask BitsPerComponent')
            else:
                rep.a('6.2.8-4', bpc in (None, 1, 2, 4, 8, 16), f'{w}: inline BitsPerComponent')
    for cs, at in list(walker.colour):
        if cs == 'DeviceRGB':
            rep.a('6.2.4.3-2', out_cs == 'RGB ' or 'DefaultRGB' in default, f'{at}: DeviceRGB without an RGB OutputIntent')
        elif cs == 'DeviceGray':
            rep.a('6.2.4.3-4', out_cs is not None or 'DefaultGray' in default, f'{at}: DeviceGray without an OutputIntent')
        elif cs == 'DeviceCMYK':
            rep.a('6.2.4.3-3', out_cs == 'CMYK' or 'DefaultCMYK' in default, f'{at}: DeviceCMYK without a CMYK OutputIntent')
        elif isinstance(cs, tuple) and cs[0] == 'ICCBased':
            icc(cs[1], at)


def check_pages(pdf, rep, pages, tree, walker, has_lang):
    for pno, pref, page in pages:
        w = f'page {pno}'
        for k in ('MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox'):
            r = rect(pdf, page.get(k))
            if r is not None:
                wd, ht = r[2] - r[0], r[3] - r[1]
                rep.a('6.1.13-11', 3 <= wd <= 14400 and 3 <= ht <= 14400, f'{w}: {k} {wd:.0f}×{ht:.0f}')
        rep.a('6.5.2-2', page.get('AA') is None, f'{w} has AA')
        rep.a('6.10-2', page.get('PresSteps') is None, f'{w} has PresSteps')
        contents = pdf.r(page.get('Contents'))
        streams = [contents] if isinstance(contents, Stream) else [pdf.r(c) for c in (contents or [])] if isinstance(contents, list) else []
        data = b'\n'.join(s.data or b'' for s in streams if isinstance(s, Stream))
        walker.run(data, page.get('Resources'), ('page', pref), pno, w, [])
        annots = [(a, pdf.d(a)) for a in pdf.arr(page.get('Annots'))]
        crop = rect(pdf, page.get('CropBox')) or rect(pdf, page.get('MediaBox'))
        if annots:
            rep.ua('7.18.3-1', name(page.get('Tabs')) == 'S', f'{w} has annotations and Tabs {page.get("Tabs")}')
        for aref, a in annots:
            sub = name(a.get('Subtype'))
            aw = f'{w}: {sub} annotation {where_ref(aref)}'
            r = rect(pdf, a.get('Rect'))
            outside = bool(r and crop and (r[2] < crop[0] or r[0] > crop[2] or r[3] < crop[1] or r[1] > crop[3]))
            flags = a.get('F') if isinstance(a.get('F'), int) else None
            hidden = flags is not None and (flags & 2) == 2
            skip = outside or hidden
            rep.a('6.3.1-1', sub in ANNOT_TYPES and sub not in ('TrapNet',) or sub == 'TrapNet', f'{aw}: subtype not allowed')
            rep.a('6.3.2-1', sub == 'Popup' or flags is not None, f'{aw} has no F')
            if flags is not None:
                rep.a('6.3.2-2', (flags & 1) == 0 and (flags & 2) == 0 and (flags & 4) == 4 and (flags & 32) == 0 and (flags & 256) == 0,
                      f'{aw}: F is {flags} (Print must be set; Invisible, Hidden, NoView, ToggleNoView clear)')
            zero = r is not None and r[0] == r[2] and r[1] == r[3]
            ap = pdf.d(a.get('AP'))
            rep.a('6.3.3-1', zero or sub in ('Popup', 'Link') or a.get('AP') is not None, f'{aw} has no appearance')
            if a.get('AP') is not None:
                rep.a('6.3.3-2', list(ap) == ['N'], f'{aw}: AP keys {list(ap)}')
                n = pdf.r(ap.get('N'))
                ft = name(a.get('FT')) or name(pdf.d(a.get('Parent')).get('FT'))
                if sub == 'Widget' and ft == 'Btn':
                    rep.a('6.3.3-3', isinstance(n, dict), f'{aw}: N is not an appearance subdictionary')
                else:
                    rep.a('6.3.3-4', isinstance(n, Stream), f'{aw}: N is not an appearance stream')
                for s in ([n] if isinstance(n, Stream) else list(n.values()) if isinstance(n, dict) else []):
                    s = pdf.r(s)
                    if isinstance(s, Stream):
                        own = s.get('Resources') is not None
                        walker.run(s.data or b'', s.get('Resources') if own else page.get('Resources'), ('ap', aref), pno,
                                   f'{aw} appearance', [], tagging=False, own_resources=own)
            if a.get('A') is not None:
                check_actions(pdf, rep, a.get('A'), aw)
            if sub == 'Widget':
                rep.a('6.4.1-1', a.get('A') is None and a.get('AA') is None, f'{aw} has A or AA')
            elif a.get('AA') is not None:
                pass
            sp = pdf.r(a.get('StructParent'))
            el = pdf.d(tree.parent_tree.get(sp)) if isinstance(sp, int) else {}
            el_std = tree.std_type(name(el.get('S')) or '') if el else None
            holders = tree.objrs.get(aref, []) if isinstance(aref, Ref) else []
            rep.x('tree-4', isinstance(sp, int) and bool(holders) and any(tree.parent_tree.get(sp) == h.ref for h in holders),
                  f'{aw}: ' + ('no StructParent' if not isinstance(sp, int) else
                               'no OBJR in the tree' if not holders else 'ParentTree entry is not the element holding its OBJR'))
            contents = text(a.get('Contents'))
            alt = text(el.get('Alt')) if el else None
            if sub not in ('Widget', 'PrinterMark', 'Link'):
                rep.ua('7.18.1-1', skip or el_std == 'Annot', f'{aw} is not in an Annot element')
            if sub != 'Widget':
                rep.ua('7.18.1-2', skip or bool(contents) or bool(alt), f'{aw} has no Contents or Alt')
            if a.get('Contents') is not None:
                rep.ua('7.2-24', has_lang or bool(text(a.get('Lang'))), f'{aw}: Contents without a language')
            if sub == 'Widget':
                fld = a if a.get('FT') is not None else pdf.d(a.get('Parent'))
                tu = text(fld.get('TU'))
                rep.ua('7.18.1-3', skip or bool(tu) or bool(alt), f'{aw} has no TU or Alt')
                rep.ua('7.18.4-1', skip or el_std == 'Form', f'{aw} is not in a Form element')
            if sub == 'TrapNet':
                rep.ua('7.18.2-1', skip, f'{aw}: TrapNet')
            if sub == 'Link':
                rep.ua('7.18.5-1', skip or el_std == 'Link', f'{aw} is not in a Link element (in {el_std})')
                rep.ua('7.18.5-2', skip or bool(contents), f'{aw} has no Contents')
            if sub == 'PrinterMark':
                rep.ua('7.18.8-1', skip or not el, f'{aw} is tagged')
            if sub in ('Screen', 'Movie', 'Sound', 'RichMedia', '3D'):
                rep.ua('7.18.6.2-1', False, f'{aw}: media annotations are not evaluated')
                rep.ua('7.18.6.2-2', False, f'{aw}: media annotations are not evaluated')

def check_content_rules(pdf, rep, walker, tree, has_lang):
    for pno, kind, tagged, artifact, at in walker.items:
        rep.ua('7.1-3', tagged or artifact, f'{at}: {kind} neither tagged nor an Artifact')
    for pno, at, mc_lang, elem_key in walker.text_items:
        if has_lang:
            rep.ua('7.2-34', True)
            continue
        lang = mc_lang
        if not lang and elem_key is not None:
            for e in tree.mcids.get(elem_key, []):
                lang = lang or tree.lang_of(e)
        rep.ua('7.2-34', bool(lang), f'{at}: text without a language')
    for rid, ok, at in walker.mc_lang_needed:
        rep.ua(rid, ok or has_lang, f'{at}: Span text without a language')
    for form, count in walker.forms_drawn.items():
        if form in walker.forms_with_mcid:
            rep.ua('7.20-2', count == 1, f'form {where_ref(form)} with MCIDs drawn {count} times')
        else:
            rep.ua('7.20-2', True)


def list_rules(markdown=False):
    applies = 'every file'
    for p, i, obj, d in ALL_RULES:
        if markdown:
            print(f'| {p} | {i} | {obj} | {d} |')
        else:
            print(f'{p} {i} [{obj}] {d}')


def main(argv):
    if len(argv) == 2 and argv[1] in ('--list', '--list-md'):
        list_rules(argv[1] == '--list-md')
        return 0
    if len(argv) == 2 and argv[1] == '--human':
        for h in HUMAN:
            print(h)
        return 0
    if len(argv) != 2 or argv[1].startswith('-'):
        sys.stderr.write('usage: conformance.py FILE.pdf | --list | --list-md | --human\n')
        return 2
    try:
        pdf = Pdf(argv[1])
    except OSError as e:
        sys.stderr.write(f'{argv[1]}: error: {e.strerror}\n')
        return 2
    rep = Report()
    lex_body(pdf, rep)
    check_streams(pdf, rep)
    cat, info = check_document(pdf, rep)
    has_lang = bool(text(cat.get('Lang')))
    pages = collect_pages(pdf, cat)
    tree = Tree(pdf, rep, cat)
    walker = ContentWalker(pdf, rep, set(tree.mcids))
    check_pages(pdf, rep, pages, tree, walker, has_lang)
    check_content_rules(pdf, rep, walker, tree, has_lang)
    check_tree(pdf, rep, cat, tree, walker, pages)
    check_fonts(pdf, rep, walker, all_resources_fonts(pdf, pages))
    out_cs = check_output_intents(pdf, rep, cat)
    check_colour(pdf, rep, walker, out_cs, pages)
    check_xmp(pdf, rep, cat, info)
    lines = rep.lines()
    print('\n'.join(lines))
    nfail = sum(1 for ln in lines if ln.startswith('FAIL'))
    npass = sum(1 for ln in lines if ln.startswith('PASS'))
    sys.stderr.write(f'{argv[1]}: {npass} rules pass, {nfail} fail, {len(lines) - npass - nfail} do not apply\n')
    return 1 if nfail else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
