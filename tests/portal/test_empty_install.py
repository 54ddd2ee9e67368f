"""An empty install (`DEMO=0 make run`): migrated, no data, and every public page still serves."""

from __future__ import annotations

import pytest

from agenda.bodies.models import Body, Jurisdiction
from tests.conftest import count_rows


@pytest.mark.parametrize("path", ["/", "/meetings", "/login"])
def test_an_empty_install_serves_the_public_pages(client, path) -> None:
    assert count_rows(Jurisdiction) == 0 and count_rows(Body) == 0
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


def test_the_home_page_of_an_empty_install_says_there_are_no_meetings_yet(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "no meetings" in page.lower() or "no upcoming" in page.lower(), page[:2000]
