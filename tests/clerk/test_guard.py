"""Every staff screen, whichever area owns it, is behind the one guard of the clerk parent."""

from __future__ import annotations

import re

import pytest

from agenda.auth.rules import Role
from tests.conftest import csrf_token


def staff_routes(app) -> list[tuple[str, str]]:
    """Return (method, path) of every route under /clerk/, its ids filled with 1."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/clerk"):
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)
        routes += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_area_hangs_its_staff_screens_under_the_clerk_parent(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/clerk")}
    areas = {e.split(".")[1] for e in endpoints if e.count(".") == 2}
    assert areas == {"meetings", "matters", "votes", "minutes"}
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
