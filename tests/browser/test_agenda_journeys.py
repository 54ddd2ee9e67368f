"""Journeys through published agendas: the public downloads agenda and packet; a commissioner
opens a DRAFT packet."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def fetch_link(page: Page, name: str, tmp_path: Path) -> Path:
    """Follow a link on the page the way a download does and keep the file."""
    link = page.get_by_role("link", name=name)
    expect(link).to_be_visible()
    response = page.request.get(urljoin(page.url, link.get_attribute("href") or ""))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    path = tmp_path / f"{name.split()[0].lower()}.pdf"
    path.write_bytes(response.body())
    return path


def open_resolution_meeting(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("link", name="Key West City Commission: Regular meeting").first.click()
    expect(page.get_by_text("South Miami").first).to_be_visible()


def test_public_downloads_the_amended_agenda_and_the_packet(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    open_resolution_meeting(page, live_server)
    expect(page.get_by_role("heading", name="Amended agenda")).to_be_visible()
    assert axe_violations(page) == []

    agenda = fetch_link(page, "Amended agenda (PDF)", tmp_path)
    text = " ".join(
        subprocess.run(["pdftotext", "-layout", str(agenda), "-"], capture_output=True, text=True,
                       check=True).stdout.split()
    )  # fmt: skip
    assert "Amended agenda" in text
    assert "6.a Res" in text and "South Miami" in text
    assert "Section 286.0105, Florida Statutes" in text

    packet = fetch_link(page, "Agenda packet with all documents (PDF)", tmp_path)
    assert subprocess.run(["qpdf", "--check", str(packet)], capture_output=True).returncode == 0
    outline = json.loads(
        subprocess.run(["qpdf", "--json", "--json-key=outlines", str(packet)],
                       capture_output=True, text=True, check=True).stdout
    )["outlines"]  # fmt: skip
    titles = [o["title"] for o in outline]
    assert titles[0] == "Agenda"
    assert any(t.startswith("4.a Res") for t in titles)
    assert any(t.startswith("6.a Res") and "declaratory judgment" in t for t in titles)
    assert len(titles) == 3
    packet_text = subprocess.run(
        ["pdftotext", str(packet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Packet page 1 of" in packet_text
    assert "authorizing the City Attorney" in " ".join(packet_text.split()).replace("\n", " ")


def test_a_commissioner_opens_a_draft_packet(page: Page, live_server: str, tmp_path: Path) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail address").fill("kaufman@demo.agenda.test")
    page.get_by_label("Password").fill("demo-commissioner-password")
    page.get_by_role("button", name="Sign in").click()
    # A commissioner's home: the upcoming meetings of their bodies, drafts included.
    expect(page.get_by_role("heading", name="My meetings", level=1)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Key West City Commission: Workshop meeting").click()
    expect(page.get_by_text("Draft: not yet published")).to_be_visible()
    assert axe_violations(page) == []
    packet = fetch_link(page, "Agenda packet with all documents (PDF), draft", tmp_path)
    text = subprocess.run(
        ["pdftotext", str(packet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "DRAFT" in text
    assert "Fiscal year budget overview" in text


def test_the_public_cannot_open_the_draft(page: Page, live_server: str) -> None:
    page.goto(live_server + "/")
    expect(
        page.get_by_role("link", name="Key West City Commission: Workshop meeting")
    ).to_have_count(0)
