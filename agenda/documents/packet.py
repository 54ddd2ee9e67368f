"""Merge an agenda and its items' attachments into one bookmarked, page-stamped packet."""

import functools
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import NamedTuple

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, OutlineItem, Page, Pdf

from agenda.documents.pdfcheck import (
    DAMAGED,
    ENCRYPTED,
    NO_PAGES,
    NOT_A_PDF,
    configured_limits,
    looks_like_pdf,
)
from agenda.errors import Refused

STAMP_FONT_SIZE = 8
# From the visible box's bottom-left corner, as the page is displayed.
STAMP_OFFSET = (36.0, 14.0)
_FONT_KEY = "/AgendaPacketStamp"
# The stamp's font is embedded (PDF/UA wants every font embedded): DejaVu Sans, the font of
# the printed documents, from Debian's fonts-dejavu-core (`make` checks it is installed).
STAMP_FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
STAMP_FONT_NAME = "AGPKST+DejaVuSans"  # a subset is named with a six-letter tag
_FIRST_CODE, _LAST_CODE = 32, 255


class PacketEntry(NamedTuple):
    """An agenda item's bookmark title and its attachments as (title, PDF bytes)."""

    title: str
    attachments: Sequence[tuple[str, bytes]]


class PacketTooLong(Refused):
    """The packet would have more pages than the limit, so it is not built."""


def packet_too_long(limit: int) -> str:
    return (
        f"The packet was not built: its documents come to more than {limit:,} pages "
        "(the MAX_PACKET_PAGES setting). The agenda is published; split or shorten the "
        "largest documents and publish again to make the packet."
    )


class PacketFailure(NamedTuple):
    """An attachment left out of the packet, and why, in words for the clerk."""

    entry_title: str
    attachment_title: str
    message: str


@dataclass(frozen=True, slots=True)
class PacketResult:
    """The packet's bytes, its page count and the attachments it could not include."""

    pdf: bytes
    page_count: int
    failures: list[PacketFailure] = field(default_factory=list)


def merge_packet(
    agenda_pdf: bytes,
    entries: Sequence[PacketEntry],
    *,
    stamp: str,
    title: str | None = None,
    max_pages: int | None = None,
) -> PacketResult:
    """Build the packet: agenda pages, then each entry's attachments, bookmarked and stamped.

    `title` names the packet in its metadata (the agenda's title otherwise stays). Raises
    PacketTooLong, before the slow part (stamping, saving), when the packet would have more
    than `max_pages` pages (by default the MAX_PACKET_PAGES setting).
    """
    if max_pages is None:
        max_pages = configured_limits().max_packet_pages
    # The agenda is the base document, so its structure tree, language and
    # heading bookmarks survive: the one part of the packet we know is tagged.
    packet = pikepdf.open(BytesIO(agenda_pdf))
    font = _stamp_font(packet)
    agenda_page_count = len(packet.pages)
    if agenda_page_count > max_pages:
        packet.close()
        raise PacketTooLong(packet_too_long(max_pages))
    # Copied pages read their stream data from the source at save time, so
    # every source stays open until then.
    sources: list[Pdf] = []
    failures: list[PacketFailure] = []
    bookmarks: list[tuple[str, list[tuple[str, int]]]] = []
    try:
        for entry in entries:
            children = []
            for name, data in entry.attachments:
                start = len(packet.pages)
                message = _append_attachment(packet, data, sources, max_pages)
                if message is not None:
                    failures.append(PacketFailure(entry.title, name, message))
                    _append_placeholder(packet, font, entry.title, name)
                    if len(packet.pages) > max_pages:
                        raise PacketTooLong(packet_too_long(max_pages))
                children.append((name, start))
            if children:
                bookmarks.append((entry.title, children))
        _detach_structure(packet.pages[agenda_page_count:])
        page_count = len(packet.pages)
        _stamp_pages(packet, font, stamp)
        _write_outline(packet, bookmarks)
        if page_count > agenda_page_count:
            _drop_ua_claim(packet)
        if title is not None:
            _set_title(packet, title)
        out = BytesIO()
        packet.save(out)
    finally:
        for source in sources:
            source.close()
        packet.close()
    return PacketResult(pdf=out.getvalue(), page_count=page_count, failures=failures)


def _append_attachment(packet: Pdf, data: bytes, sources: list[Pdf], max_pages: int) -> str | None:
    """Append a PDF's pages to the packet; return why it could not be, or None.

    Raises PacketTooLong when its pages would take the packet past `max_pages`.
    """
    if not looks_like_pdf(data):
        return NOT_A_PDF
    start = len(packet.pages)
    try:
        source = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        return ENCRYPTED
    except pikepdf.PdfError:
        return DAMAGED
    sources.append(source)
    # Anything going wrong inside one uploaded file must cost only that file.
    try:
        count = len(source.pages)
        if count == 0:
            return NO_PAGES
        if start + count > max_pages:
            raise PacketTooLong(packet_too_long(max_pages))
        packet.pages.extend(source.pages)
    except PacketTooLong:
        raise
    except Exception:
        del packet.pages[start:]
        return DAMAGED
    return None


def _append_placeholder(
    packet: Pdf, font: pikepdf.Object, entry_title: str, attachment_title: str
) -> None:
    page = packet.add_blank_page(page_size=(612, 792))
    lines = ["Attachment could not be included:"]
    lines += textwrap.wrap(attachment_title, 70) or ["(untitled)"]
    lines += ["", *textwrap.wrap(f"Agenda item: {entry_title}", 80)]
    ops = [b"BT /F1 12 Tf 16 TL 72 700 Td"]
    ops += [_pdf_string(line) + b" '" for line in lines]
    ops.append(b"ET")
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.contents_add(packet.make_stream(b"\n".join(ops)))


def _detach_structure(pages: Sequence[Page]) -> None:
    # These keys index the source's structure tree, which is not copied; left
    # in place they would point into the agenda's tree and mislabel content.
    for page in pages:
        if Name.StructParents in page.obj:
            del page.obj[Name.StructParents]
        for annot in page.obj.get(Name.Annots, Array()):
            if isinstance(annot, Dictionary) and Name.StructParent in annot:
                del annot[Name.StructParent]


def _stamp_pages(packet: Pdf, font: pikepdf.Object, stamp: str) -> None:
    # Isolate each page's own content in q...Q, so a transform or colour it
    # leaves behind cannot move or hide the stamp.
    save_state = packet.make_stream(b"q\n")
    total = len(packet.pages)
    for number, page in enumerate(packet.pages, start=1):
        page.add_resource(font, Name.Font, Name(_FONT_KEY))
        page.contents_add(save_state, prepend=True)
        text = f"{stamp} \u00b7 Packet page {number} of {total}"
        page.contents_add(packet.make_stream(_stamp_ops(page, text)))


def _stamp_ops(page: Page, text: str) -> bytes:
    """Return content drawing `text` at the bottom left of the page as displayed."""
    left, bottom, right, top = _visible_box(page)
    dx, dy = STAMP_OFFSET
    # Viewers turn the page clockwise by /Rotate; turn the text with it so it
    # reads upright along the displayed bottom edge.
    matrix = {
        0: (1, 0, 0, 1, left + dx, bottom + dy),
        90: (0, 1, -1, 0, right - dy, bottom + dx),
        180: (-1, 0, 0, -1, right - dx, top - dy),
        270: (0, -1, 1, 0, left + dy, top - dx),
    }[_rotation(page)]
    tm = " ".join(f"{v:g}" for v in matrix).encode()
    return b"".join(
        [
            f"Q q /Artifact BMC BT {_FONT_KEY} {STAMP_FONT_SIZE} Tf 0 g ".encode(),
            tm,
            b" Tm ",
            _pdf_string(text),
            b" Tj ET EMC Q\n",
        ]
    )


def _visible_box(page: Page) -> tuple[float, float, float, float]:
    """Return the crop box (what viewers show) as left, bottom, right, top."""
    # An uploaded file's boxes can be malformed; fall back rather than fail the packet.
    for box in ("cropbox", "mediabox"):
        try:
            x0, y0, x1, y1 = (float(v) for v in getattr(page, box))
        except (TypeError, ValueError, pikepdf.PdfError):
            continue
        if x0 != x1 and y0 != y1:
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return 0.0, 0.0, 612.0, 792.0


def _rotation(page: Page) -> int:
    try:
        rotation = int(page.rotation) % 360
    except (TypeError, ValueError, pikepdf.PdfError):
        return 0
    return rotation if rotation % 90 == 0 else 0


def _write_outline(packet: Pdf, bookmarks: list[tuple[str, list[tuple[str, int]]]]) -> None:
    with packet.open_outline() as outline:
        agenda = OutlineItem("Agenda", 0)
        # The agenda's own heading bookmarks nest under "Agenda".
        agenda.children.extend(outline.root)
        items = [agenda]
        for title, children in bookmarks:
            item = OutlineItem(title, children[0][1])
            item.children.extend(OutlineItem(t, index) for t, index in children)
            items.append(item)
        outline.root[:] = items


def _drop_ua_claim(packet: Pdf) -> None:
    # Attachments arrive untagged, so the packet as a whole is not PDF/UA.
    if Name.Metadata not in packet.Root:
        return
    with packet.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]


def _set_title(packet: Pdf, title: str) -> None:
    # Both places a reader looks: the XMP metadata and the document information dictionary.
    with packet.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
    packet.docinfo[Name.Title] = title


@dataclass(frozen=True)
class _FontProgram:
    """The stamp font, subset to the WinAnsi characters, and what a PDF font dictionary needs."""

    data: bytes
    widths: list[int]
    bbox: list[int]
    ascent: int
    descent: int
    cap_height: int


@functools.cache
def _font_program() -> _FontProgram:
    # Subset once per process: the full font is 740 KB, the WinAnsi subset about 30 KB.
    font = TTFont(STAMP_FONT_FILE)
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    chars = [bytes([code]).decode("cp1252", "ignore") for code in range(_FIRST_CODE, 256)]
    widths = []
    for char in chars:
        glyph = cmap.get(ord(char)) if char else None
        widths.append(round(font["hmtx"][glyph][0] * scale) if glyph else 0)
    head, os2 = font["head"], font["OS/2"]
    metrics = {
        "bbox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
        "ascent": round(font["hhea"].ascent * scale),
        "descent": round(font["hhea"].descent * scale),
        "cap_height": round(getattr(os2, "sCapHeight", font["hhea"].ascent) * scale),
    }
    options = subset.Options(notdef_outline=True, name_IDs=["*"])
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a reader needs
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars if c])
    subsetter.subset(font)
    out = BytesIO()
    font.save(out)
    return _FontProgram(out.getvalue(), widths, **metrics)


def _stamp_font(packet: Pdf) -> pikepdf.Object:
    """Return an embedded TrueType font (WinAnsi encoded) for the packet's own text."""
    program = _font_program()
    font_file = packet.make_stream(program.data)
    font_file.Length1 = len(program.data)
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + STAMP_FONT_NAME),
        Flags=32,  # nonsymbolic: codes are read through the standard Latin encoding
        FontBBox=Array(program.bbox),
        ItalicAngle=0,
        Ascent=program.ascent,
        Descent=program.descent,
        CapHeight=program.cap_height,
        StemV=80,
        FontFile2=font_file,
    )
    return packet.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=Name("/" + STAMP_FONT_NAME),
            FirstChar=_FIRST_CODE,
            LastChar=_LAST_CODE,
            Widths=Array(program.widths),
            Encoding=Name.WinAnsiEncoding,
            FontDescriptor=packet.make_indirect(descriptor),
        )
    )


def _pdf_string(text: str) -> bytes:
    """Return `text` as a PDF literal string in WinAnsi, the stamp font's encoding."""
    raw = "".join(c if c.isprintable() else " " for c in text).encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"
