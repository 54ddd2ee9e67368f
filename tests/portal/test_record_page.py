"""The public record page and its JSON: the chain's length, newest digest and time."""

from __future__ import annotations

from html.parser import HTMLParser

import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.bodies.models import Jurisdiction
from agenda.bodies.rules import RulesPreset
from agenda.extensions import db
from agenda.timefmt import format_datetime

VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr", "area", "col", "base"}


class Structure(HTMLParser):
    """Check that elements nest and close, and collect ids, headings and references to ids."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.labelled_by: list[str] = []
        self.h1 = 0
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        self.h1 += tag == "h1"
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if found.get("aria-labelledby"):
            self.labelled_by.append(found["aria-labelledby"] or "")
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.open[-1] if self.open else None}>")
            return
        self.open.pop()


def newest() -> AuditEvent:
    return db.session.execute(
        sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one()


def test_an_empty_record_has_no_head(client):
    response = client.get("/record.json")
    assert response.status_code == 200
    assert response.get_json() == {"events": 0, "head": None, "at": None}
    page = client.get("/record").get_data(as_text=True)
    assert "The record is empty" in page
    assert "0 events" in page


def test_the_json_gives_the_newest_event(client, make_meeting):
    make_meeting()
    make_meeting()
    event = newest()
    count = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    response = client.get("/record.json")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "events": count,
        "head": event.sha256,
        "at": event.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def test_the_page_shows_the_head_in_local_words_and_how_to_check_it(client, make_meeting):
    db.session.add(
        Jurisdiction(name="Key West", timezone="America/New_York", rules_preset=RulesPreset.FLORIDA)
    )
    make_meeting()
    event = newest()
    count = db.session.execute(sa.select(sa.func.count(AuditEvent.id))).scalar_one()
    response = client.get("/record")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    page = response.get_data(as_text=True)
    iso = event.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f"<dd>{count}</dd>" in page
    assert event.sha256 in page
    assert f'<time datetime="{iso}">' in page
    assert format_datetime(event.occurred_at, "America/New_York") in page
    assert f"flask --app agenda verify --head {event.sha256}" in page
    assert 'href="/record.json"' in page


def test_the_page_is_well_formed_and_labelled(client, make_meeting):
    make_meeting()
    page = client.get("/record").get_data(as_text=True)
    structure = Structure()
    structure.feed(page)
    assert structure.problems == []
    assert structure.open == []
    assert structure.lang == "en"
    assert structure.h1 == 1
    assert len(structure.ids) == len(set(structure.ids))
    assert set(structure.labelled_by) <= set(structure.ids)
    assert "<title>The public record" in page


def test_every_page_links_to_the_record_from_its_footer(client):
    footer = client.get("/").get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert 'href="/record"' in footer


def test_a_signed_in_reader_gets_a_private_copy(client, auth):
    auth.login()
    assert client.get("/record").headers["Cache-Control"] == "private, max-age=60"
    assert client.get("/record.json").headers["Cache-Control"] == "public, max-age=60"
