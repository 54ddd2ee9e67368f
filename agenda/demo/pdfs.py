"""Small real PDFs with text for generated attachments (pikepdf, a standard font, no WeasyPrint)."""

from __future__ import annotations

import io
import textwrap
from typing import Any
from zoneinfo import ZoneInfo

import pikepdf

LINE = 14  # points between lines
WIDTH = 90  # characters to a line
PAGE = 46  # lines to a page


def _escape(text: str) -> str:
    plain = text.replace("**", "").replace("*", "").encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(title: str, lines: list[str]) -> bytes:
    """Return a one-page PDF whose text (title, then lines) any PDF text extractor reads."""
    pdf = pikepdf.new()
    pdf.docinfo["/Title"] = title
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    wrapped = [w for line in lines for w in (textwrap.wrap(line, WIDTH) or [""])]
    pages = [wrapped[i : i + PAGE] for i in range(0, len(wrapped), PAGE)] or [[]]
    for n, chunk in enumerate(pages):
        page = pdf.add_blank_page(page_size=(612, 792))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        body = " T* ".join(f"({_escape(w)}) Tj" for w in chunk)
        heading = title if n == 0 else f"{title} (page {n + 1})"
        content = (
            f"BT /F1 14 Tf 72 740 Td ({_escape(heading)}) Tj /F1 10 Tf {LINE} TL T* T* {body} ET"
        )
        page.Contents = pdf.make_stream(content.encode("latin-1"))
    out = io.BytesIO()
    pdf.save(out, compress_streams=True, deterministic_id=True)
    return out.getvalue()


def _when(meeting: Any) -> str:
    local = meeting.scheduled_at.astimezone(ZoneInfo(meeting.timezone))
    return f"{local:%B} {local.day}, {local.year}"


def agenda_print(meeting: Any, number: int, snapshot: dict[str, Any]) -> bytes:
    """Return a generated meeting's agenda as published in revision `number` (a text print)."""
    lines = [f"{meeting.body.name}, {meeting.meeting_type.value} meeting, {_when(meeting)}"]
    lines.append(f"Revision {number}. Generated demonstration print of the published agenda.")
    for section in snapshot["sections"]:
        lines.append(f"{section['position']}. {section['title']}")
        lines += [
            f"  {i['number']} {i['file_number'] + ': ' if i['file_number'] else ''}{i['title']}"
            for i in section["items"]
        ]
    return text_pdf(f"Agenda: {meeting.body.name}, {_when(meeting)}", lines)


def minutes_print(meeting: Any, record: dict[str, Any], names: dict[int, str]) -> bytes:
    """Return a generated meeting's approved minutes (a text print of its record)."""
    lines = [f"{meeting.body.name}, {meeting.meeting_type.value} meeting, {_when(meeting)}"]
    lines.append("Generated demonstration print of the approved minutes.")
    present = [names.get(a[0], "?") for a in record["attendance"] if a[1] == "present"]
    absent = [names.get(a[0], "?") for a in record["attendance"] if a[1] != "present"]
    lines.append(f"Present: {', '.join(present)}.")
    if absent:
        lines.append(f"Absent: {', '.join(absent)}.")
    for item in record["items"]:
        votes = [m["vote"] for m in item["motions"] if m["vote"]]
        tally = "; ".join(v["explanation"] for v in votes)
        done = (item["disposition"] or "").replace("_", " ")
        lines.append(f"{item['number']} {item['title']}: {done}. {tally}".strip())
    lines.append(record["notes"]["meeting"])
    return text_pdf(f"Minutes: {meeting.body.name}, {_when(meeting)}", lines)
