"""The packet: agenda then attachments, one bookmark per item, a stamp on every page."""

import io
import json
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from agenda.documents.fetcher import INTERNAL_BASE_URL
from agenda.documents.packet import PacketEntry, PacketFailure, merge_packet
from agenda.documents.pdfcheck import DAMAGED, ENCRYPTED, NOT_A_PDF
from agenda.documents.render import default_fetcher, render_pdf

STAMP = "City Commission — March 4, 2025"
ITEM_7 = "7. Resolution 25-214: Declaratory judgment against the governor"
ITEM_8 = "8. Ordinance 25-009: Residential parking"


def render(title: str, pages: int, *, headings: bool = False) -> bytes:
    tag = "h2" if headings else "p"
    sections = "".join(
        f'<section style="break-after: page"><{tag}>{title} page {n}</{tag}></section>'
        for n in range(1, pages + 1)
    )
    html = f'<html lang="en"><title>{title}</title><body>{sections}</body></html>'
    return render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=default_fetcher(Path("/none")))


def edited(pdf: bytes, edit) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            edit(document, page)
        document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def agenda() -> bytes:
    return render("AGENDA", 2, headings=True)


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {name: render(name, pages) for name, pages in (("REPORT", 2), ("DRAFT", 1), ("MAP", 3))}


def page_text(path: Path, number: int) -> str:
    args = ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def outline(path: Path) -> list[dict]:
    args = ["qpdf", "--json", "--json-key=outlines", str(path)]
    return json.loads(subprocess.run(args, capture_output=True, check=True).stdout)["outlines"]


def stamp_box(path: Path, number: int) -> tuple[float, float]:
    """Return the (x, y from the top) of the stamp's first word as poppler places it."""
    args = ["pdftotext", "-f", str(number), "-l", str(number), "-bbox", str(path), "-"]
    html = subprocess.run(args, capture_output=True, check=True, text=True).stdout
    match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>City<', html)
    assert match, html
    return float(match[1]), float(match[2])


def saved(tmp_path: Path, pdf: bytes) -> Path:
    path = tmp_path / "packet.pdf"
    path.write_bytes(pdf)
    return path


def test_packet_orders_bookmarks_and_stamps_every_page(agenda, pdfs, tmp_path):
    entries = [
        PacketEntry(ITEM_7, [("Staff report", pdfs["REPORT"]), ("Draft", pdfs["DRAFT"])]),
        PacketEntry("9. Discussion: no documents", []),
        PacketEntry(ITEM_8, [("Parking map", pdfs["MAP"])]),
    ]
    result = merge_packet(agenda, entries, stamp=STAMP)
    path = saved(tmp_path, result.pdf)

    assert result.failures == []
    assert result.page_count == 2 + 2 + 1 + 3
    assert (
        subprocess.run(["qpdf", "--show-npages", str(path)], capture_output=True).stdout == b"8\n"
    )
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)

    expected = ["AGENDA page 1", "AGENDA page 2", "REPORT page 1", "REPORT page 2"]
    expected += ["DRAFT page 1", "MAP page 1", "MAP page 2", "MAP page 3"]
    for number, content in enumerate(expected, start=1):
        text = page_text(path, number)
        assert content in text
        assert f"{STAMP} · Packet page {number} of 8" in text

    marks = outline(path)
    assert [m["title"] for m in marks] == ["Agenda", ITEM_7, ITEM_8]
    assert [m["destpageposfrom1"] for m in marks] == [1, 3, 6]
    # The agenda's own heading bookmarks stay, one level down.
    assert [k["title"] for k in marks[0]["kids"]] == ["AGENDA page 1", "AGENDA page 2"]
    assert [(k["title"], k["destpageposfrom1"]) for k in marks[1]["kids"]] == [
        ("Staff report", 3),
        ("Draft", 5),
    ]
    assert [(k["title"], k["destpageposfrom1"]) for k in marks[2]["kids"]] == [("Parking map", 6)]


def test_broken_attachments_are_reported_and_replaced(agenda, pdfs, tmp_path):
    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdfs["DRAFT"])) as draft:
        draft.save(locked, encryption=pikepdf.Encryption(user="pw", owner="pw"))
    entries = [
        PacketEntry(
            ITEM_7, [("Garbled", b"%PDF-1.7\n1 0 obj <<"), ("Staff report", pdfs["REPORT"])]
        ),
        PacketEntry(ITEM_8, [("Locked", locked.getvalue()), ("Scan.docx", b"PK\x03\x04")]),
    ]
    result = merge_packet(agenda, entries, stamp=STAMP)
    path = saved(tmp_path, result.pdf)

    assert result.failures == [
        PacketFailure(ITEM_7, "Garbled", DAMAGED),
        PacketFailure(ITEM_8, "Locked", ENCRYPTED),
        PacketFailure(ITEM_8, "Scan.docx", NOT_A_PDF),
    ]
    assert result.page_count == 2 + 1 + 2 + 1 + 1
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    placeholder = page_text(path, 3)
    assert "Attachment could not be included:" in placeholder
    assert "Garbled" in placeholder
    assert "REPORT page 2" in page_text(path, 5)
    assert "Scan.docx" in page_text(path, 7)
    assert f"{STAMP} · Packet page 7 of 7" in page_text(path, 7)
    marks = outline(path)
    assert [(k["title"], k["destpageposfrom1"]) for k in marks[1]["kids"]] == [
        ("Garbled", 3),
        ("Staff report", 4),
    ]


def test_stamp_sits_at_the_displayed_bottom_left(agenda, pdfs, tmp_path):
    def rotate(_document, page):
        page.obj.Rotate = 90

    def crop(_document, page):
        page.obj.CropBox = pikepdf.Array([100, 100, 500, 700])

    def unbalanced(document, page):
        # Content that moves, scales and whitens everything after it, never restored.
        page.contents_add(document.make_stream(b"1 0 0 1 300 400 cm 0.5 0 0 0.5 0 0 cm 1 g"))

    entries = [
        PacketEntry(ITEM_7, [("Rotated", edited(pdfs["DRAFT"], rotate))]),
        PacketEntry(ITEM_8, [("Cropped", edited(pdfs["DRAFT"], crop))]),
        PacketEntry("10. Other", [("Unbalanced", edited(pdfs["DRAFT"], unbalanced))]),
    ]
    path = saved(tmp_path, merge_packet(agenda, entries, stamp=STAMP).pdf)
    width, height = 595.28, 841.89  # A4, WeasyPrint's default page size

    x, y = stamp_box(path, 1)
    assert x == pytest.approx(36, abs=1) and height - 30 < y < height
    x, y = stamp_box(path, 3)  # shown landscape: the bottom edge is the short side
    assert x == pytest.approx(36, abs=1) and width - 30 < y < width
    x, y = stamp_box(path, 4)  # inside the crop box, not at the media box's corner
    assert x == pytest.approx(136, abs=1) and height - 700 < y < height - 100
    x, y = stamp_box(path, 5)
    assert x == pytest.approx(36, abs=1) and height - 30 < y < height
    with pikepdf.open(path) as packet:
        stamp_ops = packet.pages[4].obj.Contents[-1].read_bytes()
        assert b"0 g" in stamp_ops  # drawn in black after the page's "1 g"


def test_agenda_tags_survive_but_the_ua_claim_goes(agenda, pdfs, tmp_path):
    with pikepdf.open(io.BytesIO(agenda)) as source:
        assert "pdfuaid:part" in source.open_metadata()
    result = merge_packet(agenda, [PacketEntry(ITEM_7, [("Report", pdfs["REPORT"])])], stamp=STAMP)
    with pikepdf.open(io.BytesIO(result.pdf)) as packet:
        assert "/StructTreeRoot" in packet.Root
        assert str(packet.Root.Lang) == "en"
        assert "pdfuaid:part" not in packet.open_metadata()
        assert all("/StructParents" not in page.obj for page in packet.pages[2:])


def test_stamp_outside_winansi_does_not_break(agenda, tmp_path):
    result = merge_packet(agenda, [], stamp="Comisión 委员会")
    path = saved(tmp_path, result.pdf)
    assert result.page_count == 2
    assert "Comisión ??? · Packet page 2 of 2" in page_text(path, 2)
    assert [m["title"] for m in outline(path)] == ["Agenda"]


def test_an_untagged_agenda_merges_too(pdfs, tmp_path):
    html = '<html lang="en"><title>Agenda</title><body><p>AGENDA</p></body></html>'
    fetcher = default_fetcher(Path("/none"))
    agenda = render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher, tagged=False)
    result = merge_packet(agenda, [PacketEntry(ITEM_7, [("Map", pdfs["MAP"])])], stamp=STAMP)
    path = saved(tmp_path, result.pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    assert result.page_count == 4
    assert [m["title"] for m in outline(path)] == ["Agenda", ITEM_7]


def test_inherited_and_malformed_page_attributes(agenda, tmp_path):
    odd = pikepdf.new()
    for _ in range(2):
        page = odd.add_blank_page(page_size=(300, 400))
        page.contents_add(odd.make_stream(b"0 0 1 rg 10 10 50 50 re f"))
        del page.obj["/MediaBox"]
    # Box and rotation inherited from the page tree, as some scanners write them.
    odd.Root.Pages.MediaBox = pikepdf.Array([0, 0, 300, 400])
    odd.Root.Pages.Rotate = 90
    odd.pages[1].obj.CropBox = pikepdf.Array([0, 0, 100])
    odd.pages[1].obj.Rotate = 45
    data = io.BytesIO()
    odd.save(data)

    result = merge_packet(agenda, [PacketEntry(ITEM_7, [("Scan", data.getvalue())])], stamp=STAMP)
    path = saved(tmp_path, result.pdf)

    assert result.failures == []
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    x, y = stamp_box(path, 3)  # displayed 400 wide and 300 tall
    assert x == pytest.approx(36, abs=1) and 270 < y < 300
    assert f"{STAMP} · Packet page 4 of 4" in page_text(path, 4)


def test_every_font_in_the_packet_is_embedded_the_stamp_included(agenda, pdfs, tmp_path):
    entries = [PacketEntry(ITEM_7, [("Report", pdfs["REPORT"]), ("Broken", b"%PDF-1.7 junk")])]
    result = merge_packet(agenda, entries, stamp="Comisión de Key West", title="Packet")
    path = saved(tmp_path, result.pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:] if line.strip()]
    assert rows, listing.stdout
    stamp_fonts = [row for row in rows if row[0].endswith("+DejaVuSans")]
    assert len(stamp_fonts) == 1, listing.stdout  # one font object serves every page
    # Columns: name, type..., encoding, emb, sub, uni, object id: "emb" is the fourth from last.
    assert all(row[-5] == "yes" for row in rows), listing.stdout
    assert "Comisión de Key West · Packet page 1 of" in page_text(path, 1)
    assert "Attachment could not be included:" in page_text(path, result.page_count)
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
