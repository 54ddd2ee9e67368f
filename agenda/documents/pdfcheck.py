"""Check an uploaded file is a safe, readable, unprotected PDF before it is stored.

A hostile upload is refused (too many pages, streams that unpack to a bomb, a check that takes
too long) or defused: JavaScript, launch actions and embedded files are removed, and the clean
copy is what gets stored, so nothing active reaches the packet or the public.
"""

from __future__ import annotations

import base64
import re
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pikepdf
from flask import current_app, has_app_context
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from agenda.errors import Refused

NOT_A_PDF = "This file is not a PDF."
ENCRYPTED = "This PDF is encrypted or password-protected; upload an unprotected copy."
DAMAGED = "This PDF is damaged and cannot be read."
NO_PAGES = "This PDF has no pages."

DEFAULT_MAX_UPLOAD_PAGES = 2000
DEFAULT_MAX_PACKET_PAGES = 5000
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DEFAULT_CHECK_SECONDS = 10.0

# Readers accept a header line preceded by some junk; Acrobat looks in the first 1 KB.
_HEADER = re.compile(rb"(?:\A|[\r\n])%PDF-[12]\.[0-9]")
_HEADER_WINDOW = 1024
_CHUNK = 1024 * 1024


class InvalidPdf(Refused):
    """An upload that cannot go into the record; its message is meant for the user."""


@dataclass(frozen=True, slots=True)
class PdfLimits:
    """How big a PDF the app accepts, and how long it spends checking one."""

    max_pages: int = DEFAULT_MAX_UPLOAD_PAGES
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES
    max_seconds: float = DEFAULT_CHECK_SECONDS
    max_packet_pages: int = DEFAULT_MAX_PACKET_PAGES


def configured_limits() -> PdfLimits:
    """Return the limits from the app's settings, or the defaults outside an app."""
    if not has_app_context():
        return PdfLimits()
    config = current_app.config
    return PdfLimits(
        max_pages=int(config.get("MAX_UPLOAD_PAGES", DEFAULT_MAX_UPLOAD_PAGES)),
        max_unpacked_bytes=int(config.get("MAX_PDF_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)),
        max_seconds=float(config.get("PDF_CHECK_SECONDS", DEFAULT_CHECK_SECONDS)),
        max_packet_pages=int(config.get("MAX_PACKET_PAGES", DEFAULT_MAX_PACKET_PAGES)),
    )


def too_many_pages(limit: int) -> str:
    return f"This PDF has more than {limit:,} pages; split it into parts of {limit:,} or fewer."


def too_big_unpacked(limit: int) -> str:
    return (
        f"This PDF unpacks to more than {limit // (1024 * 1024):,} MB; "
        "upload a smaller or re-saved copy."
    )


def too_slow(seconds: float) -> str:
    return (
        f"This PDF could not be checked within {seconds:g} seconds; "
        "upload a smaller or re-saved copy."
    )


@dataclass(frozen=True, slots=True)
class PdfInfo:
    """What the app keeps about a checked PDF: its pages, and the clean bytes to store."""

    page_count: int
    data: bytes = field(default=b"", compare=False, repr=False)
    # What was taken out, in words for the clerk: "JavaScript", "1 embedded file".
    removed: tuple[str, ...] = ()

    @property
    def removed_note(self) -> str:
        """A sentence for the clerk, or "" when nothing was removed."""
        return f"Removed from the upload: {', '.join(self.removed)}." if self.removed else ""


def inspect_upload(data: bytes, limits: PdfLimits | None = None) -> PdfInfo:
    """Check an upload and return its page count and clean bytes, or raise `InvalidPdf`.

    Refused: not a PDF, protected, damaged, no pages, more pages than `limits.max_pages`,
    streams unpacking to more than `limits.max_unpacked_bytes`, or a check that outlasts
    `limits.max_seconds`. Active content and embedded files are removed from the copy returned.
    """
    limits = limits or configured_limits()
    deadline = time.monotonic() + limits.max_seconds
    if not looks_like_pdf(data):
        raise InvalidPdf(NOT_A_PDF)
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PasswordError:
        raise InvalidPdf(ENCRYPTED) from None
    except pikepdf.PdfError:
        raise InvalidPdf(DAMAGED) from None
    with pdf:
        # An owner password alone still restricts printing and copying, which
        # the packet and the public downloads cannot honour.
        if pdf.is_encrypted:
            raise InvalidPdf(ENCRYPTED)
        try:
            # The page tree's own count first: a 100,000-page file is refused before
            # anything walks its pages.
            declared = pdf.Root.Pages.get(Name.Count, 0)
            if isinstance(declared, int) and declared > limits.max_pages:
                raise InvalidPdf(too_many_pages(limits.max_pages))
            page_count = len(pdf.pages)
            if page_count > limits.max_pages:
                raise InvalidPdf(too_many_pages(limits.max_pages))
            _check_unpacked_size(pdf, limits, deadline)
            # pikepdf quietly rebuilds a lost cross-reference table (a truncated
            # download does that), so the open succeeds; qpdf's check reports the
            # repair as a warning, and unreadable streams or pages as errors.
            problems = pdf.check_pdf_syntax()
        except (pikepdf.PdfError, AttributeError, TypeError, ValueError):
            raise InvalidPdf(DAMAGED) from None
        if time.monotonic() > deadline:
            raise InvalidPdf(too_slow(limits.max_seconds))
        if page_count == 0:
            raise InvalidPdf(NO_PAGES)
        if any(_is_damage(problem) for problem in problems):
            raise InvalidPdf(DAMAGED)
        removed = remove_active_content(pdf)
        if not removed:
            return PdfInfo(page_count=page_count, data=data)
        out = BytesIO()
        pdf.save(out)
    return PdfInfo(page_count=page_count, data=out.getvalue(), removed=removed)


def looks_like_pdf(data: bytes) -> bool:
    """Tell whether `data` starts with a PDF header line."""
    return _HEADER.search(data[:_HEADER_WINDOW]) is not None


def _is_damage(problem: str) -> bool:
    # Wrong linearization hints are common in office exports and harmless:
    # readers ignore them and the file is rewritten without them anyway.
    return "linearization" not in problem.lower() and "hint table" not in problem.lower()


# Decompression bombs --------------------------------------------------------------------------


class _Budget:
    """Unpacked bytes and seconds left; raises `InvalidPdf` when either runs out."""

    def __init__(self, limits: PdfLimits, deadline: float) -> None:
        self.limits, self.deadline, self.left = limits, deadline, limits.max_unpacked_bytes

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise InvalidPdf(too_big_unpacked(self.limits.max_unpacked_bytes))
        if time.monotonic() > self.deadline:
            raise InvalidPdf(too_slow(self.limits.max_seconds))


def _check_unpacked_size(pdf: Pdf, limits: PdfLimits, deadline: float) -> None:
    """Unpack every stream one at a time, a chunk at a time, and stop at the first limit.

    Only qpdf's general-purpose filters are unpacked here (Flate, LZW, RunLength, ASCII hex
    and 85), the ones the app itself ever decodes; image codecs count at their packed size.
    Nothing is kept: each chunk is counted and dropped, so a bomb never fills memory.
    """
    budget = _Budget(limits, deadline)
    for obj in pdf.objects:
        if isinstance(obj, Stream):
            budget.spend(0)  # the clock, between streams
            _count_stream(obj, budget)


def _filters(stream: Stream) -> list[str]:
    value = stream.get(Name.Filter)
    if value is None:
        return []
    items = list(value) if isinstance(value, Array) else [value]
    return [str(item) for item in items]


def _count_stream(stream: Stream, budget: _Budget) -> None:
    raw = stream.read_raw_bytes()
    chunks: Iterator[bytes] = iter([raw])
    for name in _filters(stream):
        decoder = _DECODERS.get(name)
        if decoder is None:  # an image codec or something unknown: counted as it is
            break
        chunks = decoder(chunks)
    for chunk in chunks:
        budget.spend(len(chunk))


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for chunk in chunks:
        data = chunk
        while data:
            try:
                out = inflater.decompress(data, _CHUNK)
            except zlib.error:
                return  # qpdf's own check decides whether this is damage
            yield out
            data = inflater.unconsumed_tail
            if inflater.eof:
                return


def _run_length(chunks: Iterator[bytes]) -> Iterator[bytes]:
    data = b"".join(chunks)  # the output, not the input, is what can be large
    out, i = bytearray(), 0
    while i < len(data) and data[i] != 128:
        length = data[i]
        if length < 128:
            out += data[i + 1 : i + 2 + length]
            i += 2 + length
        else:
            out += data[i + 1 : i + 2] * (257 - length)
            i += 2
        if len(out) >= _CHUNK:
            yield bytes(out)
            out.clear()
    yield bytes(out)


def _lzw(chunks: Iterator[bytes]) -> Iterator[bytes]:
    data = b"".join(chunks)
    bits = int.from_bytes(data, "big") if data else 0
    total_bits = len(data) * 8
    table: list[bytes] = [bytes([n]) for n in range(256)] + [b"", b""]
    width, pos, previous = 9, 0, b""
    out = bytearray()
    while pos + width <= total_bits:
        code = (bits >> (total_bits - pos - width)) & ((1 << width) - 1)
        pos += width
        if code == 256:  # clear table
            del table[258:]
            width, previous = 9, b""
            continue
        if code == 257:  # end of data
            break
        if code < len(table):
            entry = table[code]
        elif code == len(table) and previous:
            entry = previous + previous[:1]
        else:
            break
        if previous:
            table.append(previous + entry[:1])
        previous = entry
        out += entry
        if len(table) + 1 >= (1 << width) and width < 12:  # EarlyChange 1, as PDF defaults
            width += 1
        if len(out) >= _CHUNK:
            yield bytes(out)
            out.clear()
    yield bytes(out)


def _ascii_hex(chunks: Iterator[bytes]) -> Iterator[bytes]:
    text = re.sub(rb"\s", b"", b"".join(chunks)).split(b">", 1)[0]
    yield bytes.fromhex((text + b"0" * (len(text) % 2)).decode("ascii", "replace"))


def _ascii_85(chunks: Iterator[bytes]) -> Iterator[bytes]:
    text = re.sub(rb"\s", b"", b"".join(chunks)).removeprefix(b"<~").split(b"~>", 1)[0]
    try:
        yield base64.a85decode(text)
    except ValueError:
        return


_DECODERS: dict[str, Any] = {
    "/FlateDecode": _inflate,
    "/Fl": _inflate,
    "/LZWDecode": _lzw,
    "/LZW": _lzw,
    "/RunLengthDecode": _run_length,
    "/RL": _run_length,
    "/ASCIIHexDecode": _ascii_hex,
    "/AHx": _ascii_hex,
    "/ASCII85Decode": _ascii_85,
    "/A85": _ascii_85,
}


# Active content -------------------------------------------------------------------------------

_ACTIVE = {"/JavaScript": "JavaScript", "/Launch": "launch"}


class _Removed:
    """What the cleaning took out, counted for the clerk."""

    def __init__(self) -> None:
        self.javascript = False
        self.launch = 0
        self.files: set[tuple[int, int] | int] = set()

    def note_action(self, action: Any) -> None:
        for kind in _action_kinds(action):
            if kind == "JavaScript":
                self.javascript = True
            else:
                self.launch += 1

    def note_file(self, spec: Any) -> None:
        # A file is counted once however many places name it.
        self.files.add(spec.objgen if spec.is_indirect else id(spec))

    def words(self) -> tuple[str, ...]:
        words = ["JavaScript"] if self.javascript else []
        if self.launch:
            words.append(_plural(self.launch, "launch action"))
        if self.files:
            words.append(_plural(len(self.files), "embedded file"))
        return tuple(words)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _action_kinds(action: Any, depth: int = 0) -> list[str]:
    """Return what is active in an action and the actions chained after it (/Next)."""
    if depth > 50:
        return []
    if isinstance(action, Array):
        return [k for item in action for k in _action_kinds(item, depth + 1)]
    if not isinstance(action, Dictionary):
        return []
    kinds = []
    kind = _ACTIVE.get(str(action.get(Name.S, "")))
    if kind is not None:
        kinds.append(kind)
    elif Name.JS in action:  # a rendition or anything else carrying a script
        kinds.append("JavaScript")
    if Name.Next in action:
        kinds += _action_kinds(action.Next, depth + 1)
    return kinds


def remove_active_content(pdf: Pdf) -> tuple[str, ...]:
    """Remove JavaScript, launch actions and embedded files from `pdf`; say what went."""
    removed = _Removed()
    root = pdf.Root
    names = root.get(Name.Names)
    if isinstance(names, Dictionary):
        if Name.JavaScript in names:
            removed.javascript = True
            del names[Name.JavaScript]
        if Name.EmbeddedFiles in names:
            for spec in _name_tree_values(names.EmbeddedFiles):
                removed.note_file(spec)
            del names[Name.EmbeddedFiles]
    for page in pdf.pages:
        annots = page.obj.get(Name.Annots)
        if not isinstance(annots, Array):
            continue
        kept = []
        for annot in annots:
            if not isinstance(annot, Dictionary):
                continue
            if annot.get(Name.Subtype) == Name.FileAttachment:
                removed.note_file(annot.get(Name.FS, annot))
                continue
            if annot.get(Name.Subtype) == Name.Link and _action_kinds(annot.get(Name.A)):
                removed.note_action(annot.A)
                continue
            kept.append(annot)
        if len(kept) != len(annots):
            page.obj.Annots = Array(kept)
    _strip_actions(pdf, removed)
    return removed.words()


def _name_tree_values(node: Any, depth: int = 0) -> Iterator[Any]:
    if not isinstance(node, Dictionary) or depth > 50:
        return
    yield from list(node.get(Name.Names, Array()))[1::2]
    for kid in node.get(Name.Kids, Array()):
        yield from _name_tree_values(kid, depth + 1)


def _strip_actions(pdf: Pdf, removed: _Removed) -> None:
    """Walk every object still in the file and drop what a viewer would run or unpack."""
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [pdf.trailer]
    while pending:
        obj = pending.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Array):
            pending.extend(item for item in obj if isinstance(item, Dictionary | Array))
            continue
        if not isinstance(obj, Dictionary | Stream):
            continue
        for key in (Name.OpenAction, Name.A):
            if key in obj and _action_kinds(obj[key]):
                removed.note_action(obj[key])
                del obj[key]
        if Name.AA in obj:  # additional actions: triggers on open, close, page view, fields
            removed.note_action(
                Array(list(obj.AA.values())) if isinstance(obj.AA, Dictionary) else obj.AA
            )
            del obj[Name.AA]
        if Name.EF in obj:  # a file specification carrying the file itself
            removed.note_file(obj)
            del obj[Name.EF]
        for key in list(obj.keys()):
            if key in ("/Parent", "/P"):
                continue
            value = obj[key]
            if isinstance(value, Dictionary | Array | Stream):
                pending.append(value)
