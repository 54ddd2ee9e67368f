"""Public pages come from a cache keyed by the record's version, kept in the database.

A visitor's second look at a page costs one bare query; a browser that has the page gets
304; a change made through any worker (here: another app on the same database) is seen at once.
"""

from __future__ import annotations

import sqlalchemy as sa

from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.minutes.models import Minutes, MinutesRevision
from agenda.pagecache import PAGES, RecordVersion, current_version
from tests.auth.test_login import post_login


def first_meeting_id() -> int:
    found = db.session.execute(sa.select(Meeting.id).order_by(Meeting.id).limit(1)).scalar_one()
    db.session.commit()
    return found


def test_a_second_visit_costs_one_query_and_a_browser_that_has_it_gets_304(demo_app, count_queries):
    meeting_id = first_meeting_id()
    db.session.remove()
    PAGES.clear()
    visitor = demo_app.test_client()
    with count_queries() as first:
        page = visitor.get(f"/meetings/{meeting_id}")
    assert page.status_code == 200 and len(first) > 1
    db.session.remove()  # as at the end of every request's app context under gunicorn
    checkouts: list[object] = []

    def checkout(*args: object) -> None:
        checkouts.append(args)

    sa.event.listen(db.engine, "checkout", checkout)
    with count_queries() as second:
        again = visitor.get(f"/meetings/{meeting_id}")
    sa.event.remove(db.engine, "checkout", checkout)
    assert again.get_data() == page.get_data()
    # The record's version is the one statement, on a bare connection of the pool: nothing
    # through the engine's statements (the next test shows it is read at every request).
    assert second == [] and len(checkouts) == 1
    assert again.headers["ETag"] == page.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, no-cache"
    assert "Content-Security-Policy" in again.headers  # per-request headers still added

    unchanged = visitor.get(
        f"/meetings/{meeting_id}", headers={"If-None-Match": page.headers["ETag"]}
    )
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    # Another address has its own page and its own ETag.
    other = visitor.get("/meetings")
    assert other.status_code == 200 and other.headers["ETag"] != page.headers["ETag"]


def test_a_change_through_another_worker_is_seen_at_the_next_request(
    demo_app, make_app, demo_database
):
    meeting_id = first_meeting_id()
    url = demo_app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    PAGES.clear()
    reader = demo_app.test_client()
    etag = reader.get(f"/meetings/{meeting_id}").headers["ETag"]
    assert "Harbor Room 2" not in reader.get(f"/meetings/{meeting_id}").get_data(as_text=True)

    writer = make_app(url)
    with writer.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.location = "Harbor Room 2"
        db.session.commit()
        db.session.remove()

    fresh = reader.get(f"/meetings/{meeting_id}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "Harbor Room 2" in fresh.get_data(as_text=True)
    assert fresh.headers["ETag"] != etag


def test_signed_in_users_and_private_writes_leave_the_cache_alone(demo_app):
    meeting_id = first_meeting_id()
    version = current_version()
    db.session.commit()
    db.session.remove()
    PAGES.clear()
    clerk = demo_app.test_client()
    # A failed sign-in writes only what the public never sees: the version stays.
    assert post_login(clerk, "clerk@demo.agenda.test", "wrong password").status_code == 400
    assert current_version() == version
    db.session.commit()
    assert post_login(clerk, "clerk@demo.agenda.test", "demo-clerk-password").status_code == 302
    page = clerk.get(f"/meetings/{meeting_id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in page.headers
    assert len(PAGES._kept) == 0  # nothing a signed-in user saw was kept
    assert db.session.get(RecordVersion, 1).version == version.number


def test_every_change_the_public_can_see_raises_the_version(app, make_meeting):
    before = current_version()
    db.session.commit()
    meeting = make_meeting(location="City Hall")
    assert current_version() > before
    db.session.commit()
    raised = current_version()
    meeting.location = "Harbor Room"
    db.session.commit()
    assert (
        current_version().number == raised.number + 1
    )  # once per transaction, whatever it changed
    db.session.commit()


def test_approved_minutes_download_from_the_cache_at_both_addresses(demo_app, count_queries):
    """The friendly minutes.pdf and its content address answer alike from kept bytes."""
    meeting_id, digest = db.session.execute(
        sa.select(Minutes.meeting_id, MinutesRevision.pdf_sha256)
        .join(MinutesRevision, MinutesRevision.minutes_id == Minutes.id)
        .where(MinutesRevision.pdf_sha256.is_not(None))
    ).first()
    db.session.commit()
    db.session.remove()
    PAGES.clear()
    visitor = demo_app.test_client()
    for path in (f"/documents/{digest}.pdf", f"/meetings/{meeting_id}/minutes.pdf"):
        first = visitor.get(path)
        db.session.remove()
        with count_queries() as again:
            second = visitor.get(path)
        assert again == []  # no rendering, no blob read: only the record's version
        assert second.status_code == 200 and second.mimetype == "application/pdf"
        assert second.get_data() == first.get_data() and second.get_data().startswith(b"%PDF")
        assert second.headers["ETag"] == f'"{digest}"'
        assert second.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert "minutes" in second.headers["Content-Disposition"]
        part = visitor.get(path, headers={"Range": "bytes=0-3"})
        assert part.status_code == 206 and part.get_data() == b"%PDF"
        assert visitor.get(path, headers={"If-None-Match": f'"{digest}"'}).status_code == 304
