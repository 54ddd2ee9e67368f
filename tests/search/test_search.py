"""Search at /search: what the public finds, what stays hidden, and bad input never a 500."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.documents.models import Blob
from agenda.documents.operations import attach_pdf
from agenda.extensions import db
from agenda.matters.operations import place_on_agenda
from agenda.meetings.agenda_editing import update_item
from agenda.meetings.operations import add_item
from agenda.search.models import SearchEntry
from tests.conftest import make_pdf_bytes, publish_pending

RESULTS = re.compile(r"(\d+) results? for")


def found(client, q: str, **filters: object) -> tuple[int, str]:
    """Return the number of results the page reports for a query (0 when none) and the page."""
    response = client.get("/search", query_string={"q": q, **filters})
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    match = RESULTS.search(page)
    return (int(match.group(1)) if match else 0), page


def item_on(meeting, title: str, description: str = ""):
    item = add_item(meeting.sections[0], title=title, description=description, actor=None)
    db.session.commit()
    return item


def test_a_published_item_is_found_with_its_words_highlighted(client, make_meeting):
    meeting = make_meeting()
    item_on(meeting, "Ferry terminal lease", "Renew the lease of the ferry terminal")
    count, page = found(client, "ferry")
    assert count == 1
    assert "<mark>Ferry</mark> terminal lease" in page
    assert f'href="/meetings/{meeting.id}#item-' in page


def test_punctuation_in_the_query_finds_287g(client, body, matter, make_meeting):
    matter.title = "Terminate the Section 287(g) agreement"
    meeting = make_meeting(body=body)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    db.session.commit()
    count, page = found(client, "287(g)")
    assert count == 2  # the legislation and the agenda item that carries it
    assert f'href="/matters/{matter.id}"' in page
    assert found(client, '"287(g) agreement"')[0] == 2
    assert found(client, "287(h)")[0] == 0


def test_drafts_never_reach_the_public(client, auth, body, matter, make_meeting):
    draft = make_meeting(body=body, published=False)
    item_on(draft, "Secret draft parking plan")
    assert found(client, "parking")[0] == 0
    assert found(client, "declaratory")[0] == 0  # the matter is on no published agenda
    auth.login(Role.CLERK)
    count, page = found(client, "parking")
    assert count == 1
    assert 'class="badge badge-draft">Draft' in page


def test_a_pending_amendment_stays_out_of_public_results_until_published(
    client, body, make_meeting
):
    meeting = make_meeting(body=body)
    item_on(meeting, "Seawall repairs")
    if meeting.amendment_notes:  # an item added to a published agenda is an amendment
        publish_pending(meeting)
        db.session.commit()
    assert found(client, "seawall")[0] == 1
    item = meeting.sections[0].items[0]
    update_item(item, title="Seawall and mangrove repairs", description="", matter=None, actor=None)
    db.session.commit()
    assert meeting.amendment_notes
    assert found(client, "mangrove")[0] == 0
    publish_pending(meeting)
    db.session.commit()
    assert found(client, "mangrove")[0] == 1


def test_changes_and_removals_follow_at_commit(client, make_meeting):
    meeting = make_meeting(published=False)
    item = item_on(meeting, "Sidewalk cafe permits")
    entry = db.session.execute(
        sa.select(SearchEntry).where(SearchEntry.agenda_item_id == item.id)
    ).scalar_one()
    assert entry.title.endswith("Sidewalk cafe permits")
    meeting.status, meeting.published_at = "published", datetime.now(UTC).replace(microsecond=0)
    db.session.commit()
    assert found(client, "sidewalk")[0] == 1
    db.session.delete(item)
    db.session.commit()
    assert found(client, "sidewalk")[0] == 0
    # A write rolled back leaves the index as it was.
    item_on(meeting, "Kayak launch")
    meeting.sections[0].items[0].title = "Canoe launch"
    db.session.flush()
    db.session.rollback()
    assert found(client, "kayak")[0] == 1
    assert found(client, "canoe")[0] == 0


def test_attachment_text_is_read_at_upload_and_searched(client, body, matter, make_meeting):
    meeting = make_meeting(body=body)
    item = item_on(meeting, "Budget amendment")
    attach_pdf(
        make_pdf_bytes("The mooring field fees rise to 12 dollars.", "Page two: manatee zones"),
        filename="budget.pdf", title="Budget memo", actor=None, agenda_item=item,
    )  # fmt: skip
    db.session.commit()
    blob = db.session.execute(sa.select(Blob)).scalars().one()
    assert "mooring field" in blob.text and "manatee" in blob.text
    count, page = found(client, "manatee")
    assert count == 1
    assert "Budget memo" in page and "<mark>manatee</mark>" in page
    assert found(client, "mooring", kind="document")[0] == 1
    assert found(client, "mooring", kind="item")[0] == 0


def test_document_and_record_text_is_escaped_never_html(client, make_meeting):
    meeting = make_meeting()
    item_on(meeting, "<script>alert(1)</script> zoning", "<img src=x onerror=alert(2)> zoning")
    count, page = found(client, "zoning")
    assert count == 1
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>zoning</mark>" in page


def test_filters_by_body_year_and_kind(client, make_body, make_meeting):
    north, south = make_body(name="North Board"), make_body(name="South Board")
    early = make_meeting(body=north, scheduled_at=datetime(2024, 3, 5, 15, tzinfo=UTC))
    late = make_meeting(body=south, scheduled_at=datetime(2025, 3, 5, 15, tzinfo=UTC))
    item_on(early, "Harbor dredging")
    item_on(late, "Harbor lighting")
    assert found(client, "harbor")[0] == 2
    assert found(client, "harbor", body=north.id)[0] == 1
    assert found(client, "harbor", year=2025)[0] == 1
    assert found(client, "harbor", year=2023)[0] == 0
    count, page = found(client, "harbor", year=2024, kind="item")
    assert count == 1 and "dredging" in page


def test_results_come_in_pages(client, make_meeting):
    meeting = make_meeting()
    for n in range(25):
        add_item(meeting.sections[0], title=f"Street light {n}", actor=None)
    db.session.commit()
    count, first = found(client, "light")
    assert count == 25 and "page 1 of 2" in first and 'rel="next"' in first
    _, second = found(client, "light", page=2)
    assert second.count('class="search-result"') == 5 and 'rel="prev"' in second


@pytest.mark.parametrize(
    "q",
    ['"', '"unclosed', "*", "NEAR(", "NEAR(a b", "a AND OR NOT", "col:val", "^x", "(((", "-",
     "x" * 2000, "word " * 400, "' OR 1=1 --", "\u202e\ue000\ue001", "🙂"],
)  # fmt: skip
def test_bad_queries_answer_a_page_never_a_500(client, make_meeting, q):
    item_on(make_meeting(), "Near the water and the col value")
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "Search the record" in response.get_data(as_text=True)


def test_an_empty_query_asks_for_words(client):
    assert "Type a word" in found(client, "*** !!")[1]
    assert "Search the agendas" in found(client, "   ")[1]
    assert "Search the agendas" in client.get("/search").get_data(as_text=True)
    assert "only its first words" in found(client, "tree " * 100)[1]


@pytest.mark.parametrize(
    "args",
    [{"year": "99999"}, {"year": "1066"}, {"kind": "secret"}, {"page": "0"}, {"page": "9999"},
     {"q": "a\x00b"}, {"body": "99999999999999999999"}],
)  # fmt: skip
def test_bad_filters_are_refused_with_a_message(client, args):
    response = client.get("/search", query_string={"q": "harbor", **args})
    assert response.status_code == 400
    assert "<h1" in response.get_data(as_text=True)


def test_reindex_reads_missing_text_and_rebuilds_the_index(app, runner, make_meeting):
    meeting = make_meeting()
    item = item_on(meeting, "Coral reef grant")
    attach_pdf(
        make_pdf_bytes("Coral nursery restoration"), filename="grant.pdf", title="Grant",
        actor=None, agenda_item=item,
    )  # fmt: skip
    db.session.commit()
    # As after an upgrade from the release before search: no text, no index.
    db.session.execute(sa.update(Blob).values(text=None))
    db.session.execute(sa.delete(SearchEntry))
    db.session.commit()
    assert found(app.test_client(), "nursery")[0] == 0
    # `make run` (and so an upgrade by it) asks for it only while the index is empty.
    result = runner.invoke(args=["search", "reindex", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Read the text of 1 document(s)" in result.output
    assert found(app.test_client(), "nursery")[0] == 1
    assert found(app.test_client(), "coral")[0] == 2
    again = runner.invoke(args=["search", "reindex", "--if-empty"])
    assert again.exit_code == 0 and "already holds" in again.output


def test_the_full_text_structure_is_used(app):
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            plan = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT rowid FROM search_fts WHERE search_fts MATCH '\"x\"'"
            ).all()
            assert any("VIRTUAL TABLE INDEX" in str(row) for row in plan), plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")
            plan = conn.exec_driver_sql(
                "EXPLAIN SELECT entry_id FROM search_vectors"
                " WHERE document @@ websearch_to_tsquery('english', 'x')"
            ).all()
            assert any("ix_search_vectors_document" in str(row) for row in plan), plan


def test_the_demo_finds_the_287g_resolution(demo_app):
    with demo_app.app_context():
        count, page = found(demo_app.test_client(), "287(g)")
    assert count >= 2
    assert "Res 26-214" in page and "<mark>" in page
