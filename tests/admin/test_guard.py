"""Every admin screen, whatever topic owns it, is behind the one guard of the admin parent."""

from __future__ import annotations

import pytest

from agenda.auth.rules import Role
from tests.conftest import csrf_token, routes_under


def admin_routes(app) -> list[tuple[str, str]]:
    return routes_under(app, "/admin")


def test_every_topic_hangs_its_screens_under_the_admin_parent(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/admin")}
    topics = {e.split(".")[1] for e in endpoints if e.count(".") == 2}
    assert topics == {"jurisdiction", "bodies", "people", "users"}
    assert all(e.startswith("admin.") for e in endpoints)
    assert len(admin_routes(app)) >= 20


def test_the_public_is_sent_to_sign_in_from_every_admin_screen(app, client):
    token = csrf_token(client, "/login")
    for method, path in admin_routes(app):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, path)
        assert "/login" in response.headers["Location"], (method, path)


@pytest.mark.parametrize("role", [Role.CLERK, Role.COMMISSIONER])
def test_clerks_and_commissioners_are_refused_every_admin_screen(app, client, auth, role):
    auth.login(role)
    token = csrf_token(client, "/")
    for method, path in admin_routes(app):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (method, path)


def test_the_admin_reaches_every_topic_from_the_front_page(client, auth):
    auth.login(Role.ADMIN)
    page = client.get("/admin/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for path in ("/admin/jurisdiction", "/admin/bodies", "/admin/people", "/admin/users"):
        assert f'href="{path}' in html, path
        assert client.get(path, follow_redirects=True).status_code == 200, path
    # The site's navigation offers the admin the way in; a clerk's does not.
    assert 'href="/admin/"' in client.get("/").get_data(as_text=True)
