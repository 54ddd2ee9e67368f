"""Every staff screen, whichever area owns it, is behind the one guard of the clerk parent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from agenda.auth.rules import Role
from tests.conftest import csrf_token, routes_under


def staff_routes(app) -> list[tuple[str, str]]:
    return routes_under(app, "/clerk")


def test_every_area_hangs_its_staff_screens_under_the_clerk_parent(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/clerk")}
    areas = {e.split(".")[1] for e in endpoints if e.count(".") == 2}
    assert areas == {"meetings", "matters", "votes", "minutes", "tokens"}
    assert all(e.startswith("clerk.") for e in endpoints)
    assert len(staff_routes(app)) >= 35


def test_the_public_is_sent_to_sign_in_from_every_staff_screen(app, client):
    token = csrf_token(client, "/login")
    for method, path in staff_routes(app):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"], (method, path)


@pytest.mark.parametrize("role", [Role.COMMISSIONER])
def test_a_commissioner_is_refused_every_staff_screen(app, client, auth, role):
    auth.login(role)
    token = csrf_token(client, "/")
    for method, path in staff_routes(app):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (method, path)


def test_the_workspace_lists_meetings_a_page_at_a_time(client, auth, make_meeting, make_body):
    body = make_body()
    start = datetime(2026, 1, 6, 22, 0, tzinfo=UTC)
    for week in range(30):
        make_meeting(body=body, scheduled_at=start + timedelta(weeks=week))
    auth.login(Role.CLERK)
    first = client.get("/clerk/").get_data(as_text=True)
    assert "Page 1 of 2 (30 meetings)" in first
    assert first.count("/clerk/meetings/") - first.count("/clerk/meetings/new") == 25
    assert "July 28, 2026" in first and "January 6, 2026" not in first  # newest first
    second = client.get("/clerk/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second and "January 6, 2026" in second
    assert second.count("/clerk/meetings/") - second.count("/clerk/meetings/new") == 5
    assert "Page 2 of 2" in client.get("/clerk/?page=99").get_data(as_text=True)
