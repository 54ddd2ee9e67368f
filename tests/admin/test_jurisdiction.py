"""The admin's jurisdiction screen: create on first save, change later, refuse bad input."""

from __future__ import annotations

import pytest

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.bodies.models import Jurisdiction
from agenda.bodies.rules import PRESETS, RulesPreset
from agenda.extensions import db
from agenda.meetings.publishing import publish_meeting
from tests.conftest import count_rows, csrf_token, pdf_text

PATH = "/admin/jurisdiction"


def good(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Village of Example",
        "timezone": "America/Chicago",
        "address": "1 Main Street",
        "website": "https://example.gov",
        "accommodation_statement": "Call the clerk for help.",
        "appeal_statement": "Keep a verbatim record.",
        "rules_preset": "general",
    }
    data.update(overrides)
    return data


def post(client, data):
    return client.post(PATH, data={**data, "csrf_token": csrf_token(client, PATH)})


def test_the_first_save_creates_the_jurisdiction_and_a_later_one_changes_it(client, auth):
    auth.login(Role.ADMIN)
    assert post(client, good()).status_code == 302
    found = db.session.execute(db.select(Jurisdiction)).scalar_one()
    assert (found.name, found.timezone) == ("Village of Example", "America/Chicago")
    assert found.rules_preset is RulesPreset.GENERAL

    assert post(client, good(name="Town of Example", rules_preset="florida")).status_code == 302
    db.session.expire_all()
    assert count_rows(Jurisdiction) == 1
    assert 'value="Town of Example"' in client.get(PATH).get_data(as_text=True)
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "jurisdiction.updated")
    ).scalar_one()
    assert event.details["changes"] == {
        "name": ["Village of Example", "Town of Example"],
        "rules_preset": ["general", "florida"],
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("timezone", "Mars/Olympus", "is not a time zone"),
        ("name", "", "Enter the name"),
        ("name", "x" * 201, "at most 200 characters"),
        ("address", "x" * 501, "at most 500 characters"),
        ("website", "ftp://example.gov", "http:// or https://"),
        ("appeal_statement", "x" * 4001, "at most 4000 characters"),
        ("rules_preset", "texas", "Choose a preset"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    client, auth, field, value, message
):
    auth.login(Role.ADMIN)
    response = post(client, good(**{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert count_rows(Jurisdiction) == 0


def test_agendas_print_the_bodys_own_statements_else_the_jurisdictions(
    client, make_body, make_meeting, tmp_path
):
    db.session.add(
        Jurisdiction(
            name="Village of Example",
            timezone="America/Chicago",
            appeal_statement="Village appeal: keep a verbatim record.",
            accommodation_statement="Village ADA: call the village clerk.",
        )
    )
    own = make_body(name="Zoning Board", appeal_statement="Zoning appeals go to circuit court.")
    plain = make_body(name="Parks Committee")
    texts = {}
    for body in (own, plain):
        meeting = make_meeting(body=body, published=False)
        result = publish_meeting(meeting, actor=None)
        db.session.commit()
        assert not [w for w in result.warnings if "statement" in w.lower()]
        pdf = client.get(f"/meetings/{meeting.id}/agenda.pdf").data
        texts[body.name] = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Zoning appeals go to circuit court." in texts["Zoning Board"]
    assert "Village appeal" not in texts["Zoning Board"]
    assert "Village ADA: call the village clerk." in texts["Zoning Board"]
    assert "Village appeal: keep a verbatim record." in texts["Parks Committee"]
    assert "Village ADA: call the village clerk." in texts["Parks Committee"]


@pytest.mark.parametrize("preset", list(RulesPreset))
def test_every_preset_is_offered_with_its_label_and_citation_and_saves(client, auth, preset):
    auth.login(Role.ADMIN)
    html = client.get(PATH).get_data(as_text=True).replace("&#39;", "'")
    rules = PRESETS[preset]
    assert f'value="{preset.value}">{rules.label}</option>' in html
    assert f"<li>{rules.label}: {rules.citation}</li>" in html
    assert post(client, good(rules_preset=preset.value)).status_code == 302
    assert db.session.execute(db.select(Jurisdiction)).scalar_one().rules_preset is preset
