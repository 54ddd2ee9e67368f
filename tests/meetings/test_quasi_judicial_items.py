"""Quasi-judicial hearings: the clerk marks an item in the workspace; the public page, the agenda
PDF and the console say so; on a published agenda the mark goes out with the amendment."""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings import agenda_editing as editing
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import section_titled
from agenda.meetings.publishing import publish_meeting
from agenda.meetings.session import call_to_order
from tests.conftest import csrf_token, pdf_text, publish_pending

JULY_7 = datetime(2026, 7, 7, 21, 0, tzinfo=UTC)  # 5:00 PM EDT in Key West
MARK = "Quasi-judicial hearing"
HINT = "Members may abstain to keep the hearing fair (Fla. Stat. 286.012)."


def text_of(response: Any) -> str:
    """Return a page's text with entities decoded and spaces collapsed."""
    page = htmllib.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))
    return " ".join(page.split())


@pytest.fixture
def token(auth, client) -> str:
    auth.login(Role.CLERK)
    return csrf_token(client, "/clerk/meetings/new")


@pytest.fixture
def draft(make_meeting, body) -> Meeting:
    return make_meeting(body=body, published=False, scheduled_at=JULY_7)


def add(client: Any, token: str, meeting: Meeting, title: str, **fields: str) -> Any:
    data = {
        "csrf_token": token,
        "item-section": str(section_titled(meeting, "Public hearings").id),
        "item-matter": "",
        "item-title": title,
        "item-description": "",
        **{f"item-{k}": v for k, v in fields.items()},
    }
    return client.post(f"/clerk/meetings/{meeting.id}/items", data=data)


def edit(client: Any, token: str, item_id: int, title: str, **fields: str) -> Any:
    data = {"csrf_token": token, "matter": "", "title": title, "description": "", **fields}
    return client.post(f"/clerk/items/{item_id}/edit", data=data)


def items() -> dict[str, bool]:
    db.session.expire_all()
    query = sa.select(AgendaItem.title, AgendaItem.is_quasi_judicial).order_by(AgendaItem.id)
    return dict(db.session.execute(query).all())


def audited(action: str) -> list[dict[str, Any]]:
    query = sa.select(AuditEvent.details).where(AuditEvent.action == action).order_by(AuditEvent.id)
    return list(db.session.execute(query).scalars())


def test_the_item_form_saves_the_mark_with_its_hint_and_audit(client, token, draft):
    form = client.get(f"/clerk/meetings/{draft.id}").get_data(as_text=True)
    assert MARK in form and htmllib.unescape(form).count(HINT) == 1
    assert 'aria-describedby="item-is_quasi_judicial-hint"' in form

    variance = add(client, token, draft, "Variance at 1300 White Street", is_quasi_judicial="y")
    assert variance.status_code == 302
    assert add(client, token, draft, "Budget workshop report").status_code == 302
    assert items() == {"Variance at 1300 White Street": True, "Budget workshop report": False}
    created = audited("agenda_item.create")
    assert [d.get("is_quasi_judicial", False) for d in created] == [True, False]

    page = client.get(f"/clerk/meetings/{draft.id}")
    assert text_of(page).count(MARK) == 2  # the form's label, and the variance on the agenda
    variance_id, report_id = (i.id for i in section_titled(draft, "Public hearings").items)
    checked = client.get(f"/clerk/items/{variance_id}/edit").get_data(as_text=True)
    assert re.search(r'<input [^>]*checked id="is_quasi_judicial"[^>]*type="checkbox"', checked)

    # Unticked and ticked again through the item's own form.
    off = edit(client, token, variance_id, "Variance at 1300 White Street")
    assert off.status_code == 302
    assert items()["Variance at 1300 White Street"] is False
    on = edit(client, token, report_id, "Budget workshop report", is_quasi_judicial="y")
    assert on.status_code == 302
    assert items()["Budget workshop report"] is True
    moved = client.get(f"/clerk/meetings/{draft.id}")
    assert "Item 5.b: Budget workshop report is now a quasi-judicial hearing." in text_of(moved)
    updates = audited("agenda_item.update")
    assert [d["is_quasi_judicial"] for d in updates] == [False, True]
    # Saving the same again changes nothing.
    same = edit(client, token, report_id, "Budget workshop report", is_quasi_judicial="y")
    assert same.status_code == 302 and len(audited("agenda_item.update")) == 2


def test_the_public_page_the_agenda_pdf_and_the_console_mark_the_hearing(
    public, client, token, draft, tmp_path
):
    hearing = editing.add_agenda_item(
        section_titled(draft, "Public hearings"),
        title="Variance at 1300 White Street",
        description="",
        matter=None,
        actor=None,
        is_quasi_judicial=True,
    )
    editing.add_agenda_item(
        section_titled(draft, "Discussion"), title="Hurricane shelters", description="",
        matter=None, actor=None,
    )  # fmt: skip
    publish_meeting(draft, actor=None, now=datetime(2026, 6, 1, tzinfo=UTC))
    db.session.commit()

    page = text_of(public.get(f"/meetings/{draft.id}"))
    assert f"Variance at 1300 White Street {MARK}" in page
    assert page.count(MARK) == 1
    pdf = " ".join(pdf_text(public.get(f"/meetings/{draft.id}/agenda.pdf").data, tmp_path).split())
    assert f"Variance at 1300 White Street {MARK}" in pdf and pdf.count(MARK) == 1

    call_to_order(draft, actor=None, at=JULY_7)
    db.session.commit()
    console = text_of(client.get(f"/clerk/meetings/{draft.id}/console?item={hearing.id}"))
    assert f"Variance at 1300 White Street {MARK}" in console


def test_on_a_published_agenda_the_mark_goes_out_with_the_amendment(
    public, client, token, draft, tmp_path
):
    item = editing.add_agenda_item(
        section_titled(draft, "Public hearings"),
        title="Site plan, 201 Front Street",
        description="",
        matter=None,
        actor=None,
    )
    publish_meeting(draft, actor=None, now=datetime(2026, 6, 1, tzinfo=UTC))
    db.session.commit()

    form = client.get(f"/clerk/items/{item.id}/edit").get_data(as_text=True)
    assert "saving a change publishes an amended agenda" in form and MARK in form
    marked = edit(client, token, item.id, "Site plan, 201 Front Street", is_quasi_judicial="y")
    assert marked.status_code == 302
    workspace = text_of(client.get(f"/clerk/meetings/{draft.id}"))
    assert "Item 5.a: Site plan, 201 Front Street is now a quasi-judicial hearing" in workspace
    assert MARK not in text_of(public.get(f"/meetings/{draft.id}"))  # not published yet

    publish_pending(draft)
    db.session.commit()
    assert MARK in text_of(public.get(f"/meetings/{draft.id}"))
    pdf = pdf_text(public.get(f"/meetings/{draft.id}/agenda.pdf").data, tmp_path)
    assert "Amended agenda" in pdf and MARK in pdf

    # While a later change waits, the public reads the published revision: still marked.
    editing.add_agenda_item(
        section_titled(draft, "Discussion"), title="Hurricane shelters", description="",
        matter=None, actor=None,
    )  # fmt: skip
    db.session.commit()
    waiting = text_of(public.get(f"/meetings/{draft.id}"))
    assert "Hurricane shelters" not in waiting
    assert f"Site plan, 201 Front Street {MARK}" in waiting
