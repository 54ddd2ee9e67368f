"""The front page, meeting pages, the health check and error pages, as the public sees them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from agenda import create_app
from agenda.auth.rules import Role
from agenda.config import ConfigError
from agenda.extensions import db
from agenda.meetings.rules import MeetingStatus


def test_home_lists_upcoming_and_recent_published_meetings(client, make_body, make_meeting):
    body = make_body(name="Key West City Commission")
    now = datetime.now(UTC).replace(microsecond=0)
    make_meeting(body=body, scheduled_at=now + timedelta(days=7))
    make_meeting(body=body, scheduled_at=now - timedelta(days=7))
    page = client.get("/").get_data(as_text=True)
    upcoming, recent = page.split("Recent meetings")
    assert "Key West City Commission: Regular meeting" in upcoming
    assert "Key West City Commission: Regular meeting" in recent


def test_drafts_are_hidden_from_the_public_with_404(client, make_meeting):
    draft = make_meeting(published=False)
    assert draft.status == MeetingStatus.DRAFT
    assert "Regular meeting" not in client.get("/").get_data(as_text=True)
    response = client.get(f"/meetings/{draft.id}")
    assert response.status_code == 404
    assert "There is no page at this address" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.CLERK, Role.ADMIN])
def test_staff_see_drafts_marked_draft(client, auth, make_meeting, role):
    draft = make_meeting(published=False)
    auth.login(role)
    page = client.get(f"/meetings/{draft.id}").get_data(as_text=True)
    assert "Draft: not yet published" in page


def test_a_commissioner_sees_their_own_bodys_drafts_only(client, auth, make_meeting):
    own = make_meeting(published=False)
    other = make_meeting(published=False)
    auth.login(Role.COMMISSIONER, person_id=own.body.memberships[2].person_id)
    page = client.get(f"/meetings/{own.id}").get_data(as_text=True)
    assert "Draft: not yet published" in page
    assert "Draft" in client.get("/").get_data(as_text=True)
    assert client.get(f"/meetings/{other.id}").status_code == 404
    assert client.get(f"/meetings/{other.id}/packet.pdf").status_code == 404


def test_a_former_member_no_longer_sees_drafts(client, auth, make_meeting):
    draft = make_meeting(published=False)
    membership = draft.body.memberships[2]
    membership.ends_on = membership.starts_on
    db.session.commit()
    auth.login(Role.COMMISSIONER, person_id=membership.person_id)
    assert client.get(f"/meetings/{draft.id}").status_code == 404


def test_meeting_list_filters_by_body_and_local_year(client, make_body, make_meeting):
    commission = make_body(name="City Commission A")
    board = make_body(name="Planning Board B")
    # 11:30 PM on December 31 in Key West is already January 1 in UTC.
    new_years_eve = datetime(2025, 12, 31, 23, 30, tzinfo=UTC) + timedelta(hours=5)
    make_meeting(body=commission, scheduled_at=new_years_eve)
    make_meeting(body=board, scheduled_at=datetime(2026, 3, 3, 22, tzinfo=UTC))
    only_2025 = client.get("/meetings?year=2025").get_data(as_text=True)
    assert "City Commission A" in only_2025.split('<ul class="meeting-list">')[1]
    assert "Planning Board B: " not in only_2025
    only_board = client.get(f"/meetings?body={board.id}").get_data(as_text=True)
    assert "Planning Board B: Regular meeting" in only_board
    assert "City Commission A: Regular meeting" not in only_board


def test_cancelled_meeting_shows_its_reason(client, make_meeting):
    meeting = make_meeting(status=MeetingStatus.CANCELLED, cancelled_reason="Hurricane warning.")
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting is cancelled" in page
    assert "Hurricane warning." in page


def test_meeting_page_shows_local_time(client, make_meeting):
    meeting = make_meeting(scheduled_at=datetime(2026, 7, 7, 21, 0, tzinfo=UTC))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Tuesday, July 7, 2026, 5:00 PM EDT" in page


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing-dir/nope.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unknown_url_gets_the_site_404_page(client):
    response = client.get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no page at this address" in page
    assert 'href="/meetings"' in page  # the site's own navigation


def test_unknown_api_url_answers_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_server_error_page_never_shows_a_traceback(make_app):
    app = make_app(TESTING=False)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "secret internal detail" not in page
    assert "Traceback" not in page


def test_security_headers_are_set(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("AGENDA_INSTANCE", str(tmp_path))
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_secret_key_generated_by_make_run_is_read_from_the_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("AGENDA_INSTANCE", str(tmp_path))
    (tmp_path / "secret_key").write_text("from-the-instance-folder\n")
    app: Flask = create_app()
    assert app.config["SECRET_KEY"] == "from-the-instance-folder"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/agenda.sqlite"
