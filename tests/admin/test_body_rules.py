"""The body form states a charter's voting rules: seats, who presides, thresholds, presets."""

from __future__ import annotations

import json

import pytest

from agenda.audit.models import AuditEvent
from agenda.auth.rules import Role
from agenda.bodies.models import Body, Jurisdiction, Seat
from agenda.bodies.operations import BODY_FIELDS
from agenda.bodies.rules import PRESETS, AbstentionPolicy, PresidingVote, RulesPreset, SeatBase
from agenda.extensions import db
from agenda.matters.operations import file_matter, place_on_agenda
from agenda.matters.rules import MatterType
from agenda.meetings.operations import add_item, section_titled
from agenda.votes.operations import item_default_threshold
from agenda.votes.rules import (
    Condition,
    MotionKind,
    ThresholdRule,
    Trigger,
    abstention_sentence,
    parse_spec,
    rule_label,
)
from tests.admin.form_page import error_beside, form_values
from tests.admin.test_bodies import TRUSTEES, form, post
from tests.conftest import count_rows, row_counts

EVERY_RULE = {
    "seat_base": "filled",
    "is_full_body_less_recused": "y",
    "presiding_seat": "1",
    "presiding_vote": "tie_only",
    "is_presiding_counted_for_quorum": "y",
    "is_in_person_quorum": "y",
    "is_unexcused_departure_present": "y",
    "is_tie_continued": "y",
    "rules_citation": "Village Charter sec. 2.05",
    "abstention_policy": "with_consent",
}
# Cal. Gov. Code 54954.2(b)(2): an item not on the agenda needs two-thirds of the members
# present, or every member present when fewer than two-thirds of the body are present.
OFF_AGENDA = {
    "rule_key": "main:none",
    "rule_fraction": "2/3",
    "rule_base": "present_voting",
    "rule_condition": "few_present",
    "rule_citation": "Cal. Gov. Code 54954.2(b)(2)",
}
OFF_AGENDA_CODE = (
    '{"cite":"Cal. Gov. Code 54954.2(b)(2)","spec":"2/3:present_voting",'
    '"when":[{"if":"few_present","of":"2/3","then":"all:present_voting"}]}'
)
# An emergency ordinance needs four-fifths; failing that it may pass as an ordinary one.
EMERGENCY = {
    "rule_key": "main:ordinance",
    "rule_fraction": "4/5",
    "rule_base": "full",
    "rule_fallback": "majority:full",
    "rule_name": "as an emergency ordinance",
    "rule_fallback_name": "an ordinary ordinance",
}
EMERGENCY_CODE = (
    '{"fallback":"majority:full","fallback_name":"an ordinary ordinance",'
    '"name":"an emergency ordinance","spec":"4/5:full"}'
)


def the_body() -> Body:
    return db.session.execute(db.select(Body).where(Body.name == TRUSTEES)).scalar_one()


def settings(body: Body) -> dict:
    db.session.expire_all()
    return {name: getattr(body, name) for name in BODY_FIELDS}


def test_every_new_setting_saves_and_shows_again(client, auth):
    auth.login(Role.ADMIN)
    assert post(client, "/admin/bodies/new", form(**EVERY_RULE)).status_code == 302
    body = the_body()
    assert body.seat_base is SeatBase.FILLED
    assert body.is_full_body_less_recused and body.is_in_person_quorum
    assert (body.presiding_seat, body.presiding_vote) == (1, PresidingVote.TIE_ONLY)
    assert body.is_presiding_counted_for_quorum and body.is_presiding_seat_counted
    assert body.is_unexcused_departure_present and body.is_tie_continued
    assert body.rules_citation == "Village Charter sec. 2.05"
    assert body.abstention_policy is AbstentionPolicy.WITH_CONSENT

    path = f"/admin/bodies/{body.id}"
    shown = form_values(client.get(path).get_data(as_text=True), "body-form")
    for name, value in EVERY_RULE.items():
        assert shown[name] == value, name
    assert "Seat 1: Village President" in client.get(path).get_data(as_text=True)

    # Every box cleared, every choice back: each saves the other way too.
    shown.update(seat_base="authorized", presiding_vote="never", presiding_seat="5",
                 rules_citation="", abstention_policy="as_no")  # fmt: skip
    for name in ("is_full_body_less_recused", "is_presiding_counted_for_quorum",
                 "is_presiding_seat_counted", "is_in_person_quorum",
                 "is_unexcused_departure_present", "is_tie_continued"):  # fmt: skip
        shown.pop(name, None)
    assert client.post(path, data=shown).status_code == 302
    db.session.expire_all()
    assert (body.seat_base, body.presiding_seat, body.presiding_vote) == (
        SeatBase.AUTHORIZED, 5, PresidingVote.NEVER)  # fmt: skip
    assert not any([body.is_full_body_less_recused, body.is_presiding_counted_for_quorum,
                    body.is_presiding_seat_counted, body.is_in_person_quorum,
                    body.is_unexcused_departure_present, body.is_tie_continued])  # fmt: skip
    assert (body.rules_citation, body.abstention_policy) == ("", AbstentionPolicy.AS_NO)


@pytest.mark.parametrize("policy", list(AbstentionPolicy))
def test_each_abstention_policy_saves_and_says_its_sentence(client, auth, policy):
    auth.login(Role.ADMIN)
    response = post(client, "/admin/bodies/new", form(abstention_policy=policy.value))
    assert response.status_code == 302
    body = the_body()
    assert body.abstention_policy is policy
    html = client.get(f"/admin/bodies/{body.id}").get_data(as_text=True)
    assert f'<option selected value="{policy.value}">' in html
    assert abstention_sentence(policy).replace("'", "&#39;") in html


def test_the_quorum_sentence_follows_the_presiding_settings(client, auth):
    auth.login(Role.ADMIN)
    titles = "Mayor\n" + "\n".join(["Council Member"] * 5)
    apart = form(seat_titles=titles, presiding_seat="1", presiding_vote="tie_only",
                 is_presiding_counted_for_quorum="", is_presiding_seat_counted="")  # fmt: skip
    del apart["is_presiding_counted_for_quorum"], apart["is_presiding_seat_counted"]
    assert post(client, "/admin/bodies/new", apart).status_code == 302
    path = f"/admin/bodies/{the_body().id}"
    # Five council seats make quorum; the mayor neither counts for it nor holds a counted seat.
    assert "With 6 seats (5 counted for quorum), quorum is 3." in client.get(path).get_data(
        as_text=True
    )
    shown = form_values(client.get(path).get_data(as_text=True), "body-form")
    shown["is_presiding_counted_for_quorum"] = "y"
    assert client.post(path, data=shown).status_code == 302
    assert "With 6 seats, quorum is 4." in client.get(path).get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"presiding_seat": "6"}, "presiding_seat",
         "The presiding officer's seat must be one of the body's 5 seats."),
        ({"presiding_seat": "seat one"}, "presiding_seat", "Choose a seat from the list, or none."),
        ({"presiding_vote": "tie_only"}, "presiding_seat",
         "Choose the presiding officer's seat"),
        ({"presiding_vote": "never"}, "presiding_seat", "Choose the presiding officer's seat"),
        ({"is_presiding_counted_for_quorum": None}, "presiding_seat",
         "Choose the presiding officer's seat"),
        ({"is_presiding_seat_counted": None}, "presiding_seat",
         "Choose the presiding officer's seat"),
        ({"seat_titles": "Chair", "presiding_seat": "1", "is_presiding_seat_counted": None},
         "is_presiding_seat_counted", "needs another seat"),
        ({"presiding_vote": "sometimes"}, "presiding_vote", "Choose when the presiding officer"),
        ({"seat_base": "some"}, "seat_base", "Choose what the full body counts"),
        ({"rules_citation": "x" * 301}, "rules_citation", "Use at most 300 characters."),
        ({"rule_key": "main:ordinance", "rule_fraction": "votes", "rule_votes": "6"},
         "rule_votes", "A fixed number of votes must be between 1 and the body's 5 seats."),
        ({"rule_key": "main:ordinance", "rule_fraction": "votes"},
         "rule_votes", "A fixed number of votes must be between 1"),
        ({"rule_key": "main:ordinance", "rule_fraction": "2/3", "rule_votes": "3"},
         "rule_votes", "goes only with"),
        ({"rule_key": "main:ordinance", "rule_floor": "6"},
         "rule_floor", "The floor must be between 1 and the body's 5 seats."),
        ({"rule_key": "main:ordinance", "rule_fraction": "votes", "rule_votes": "3",
          "rule_floor": "2"}, "rule_floor", "has no floor"),
        ({"rule_key": "main:ordinance", "rule_fallback": "majority:cast"},
         "rule_name", "like “an emergency ordinance”"),
        ({"rule_key": "main:ordinance", "rule_fallback": "majority:cast",
          "rule_name": "an emergency ordinance"},
         "rule_fallback_name", "like “an ordinary ordinance”"),
        ({"rule_key": "main:ordinance", "rule_fallback_name": "an ordinary ordinance"},
         "rule_fallback", "Choose the fallback threshold"),
        ({"rule_citation": "Charter sec. 3.09"}, "rule_key", "Choose the motion"),
        ({"rule_key": "main:everything"}, "rule_key", "Choose a kind of motion"),
        ({"rule_key": "main:ordinance", "rule_condition": "full_moon"},
         "rule_condition", "Choose a condition"),
        ({"threshold_main_ordinance": "votes:9"}, "threshold_main_ordinance",
         "Choose a threshold from the list."),
    ],
)  # fmt: skip
def test_a_refused_setting_is_named_beside_its_field_and_nothing_is_saved(
    client, auth, overrides, field, message
):
    auth.login(Role.ADMIN)
    data = form(**{k: v for k, v in overrides.items() if v is not None})
    for name in [k for k, v in overrides.items() if v is None]:
        del data[name]
    before = row_counts(Body, Seat, AuditEvent)
    response = post(client, "/admin/bodies/new", data)
    assert response.status_code == 422
    assert message in error_beside(response.get_data(as_text=True), field)
    assert row_counts(Body, Seat, AuditEvent) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"presiding_seat": "8"}, "presiding_seat"),
        ({"presiding_vote": "tie_only", "presiding_seat": ""}, "presiding_seat"),
        ({"rule_key": "main:ordinance", "rule_fraction": "votes", "rule_votes": "8"},
         "rule_votes"),
    ],
)  # fmt: skip
def test_a_refused_edit_changes_nothing(client, auth, make_body, overrides, field):
    body = make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    path = f"/admin/bodies/{body.id}"
    data = form_values(client.get(path).get_data(as_text=True), "body-form")
    before, events = settings(body), count_rows(AuditEvent)
    response = client.post(path, data={**data, "rules_citation": "Changed", **overrides})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), field)
    assert settings(body) == before
    assert count_rows(AuditEvent) == events


def test_an_edit_is_audited_with_the_new_settings_it_changed(client, auth, make_body):
    body = make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    path = f"/admin/bodies/{body.id}"
    data = form_values(client.get(path).get_data(as_text=True), "body-form")
    data.update(EVERY_RULE)
    assert client.post(path, data=data).status_code == 302
    event = db.session.execute(
        db.select(AuditEvent).where(AuditEvent.action == "body.updated")
    ).scalar_one()
    changes = event.details["changes"]
    assert changes["seat_base"] == ["authorized", "filled"]
    assert changes["presiding_seat"] == [None, 1]
    assert changes["presiding_vote"] == ["always", "tie_only"]
    assert changes["rules_citation"] == ["", "Village Charter sec. 2.05"]
    for flag in ("is_full_body_less_recused", "is_in_person_quorum",
                 "is_unexcused_departure_present", "is_tie_continued"):  # fmt: skip
        assert changes[flag] == [False, True]
    assert changes["abstention_policy"] == ["conflict_only", "with_consent"]
    assert "is_presiding_counted_for_quorum" not in changes  # unchanged, so not named


def test_the_california_off_agenda_rule_is_written_and_the_console_starts_from_it(
    client, auth, make_body, make_meeting
):
    body = make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    path = f"/admin/bodies/{body.id}"
    data = form_values(client.get(path).get_data(as_text=True), "body-form")
    assert client.post(path, data={**data, **OFF_AGENDA}).status_code == 302
    db.session.expire_all()
    assert body.default_thresholds == {"main:none": OFF_AGENDA_CODE}
    rule = ThresholdRule(
        parse_spec("2/3:present_voting"),
        conditions=(Condition(Trigger.FEW_PRESENT, parse_spec("all:present_voting")),),
        citation="Cal. Gov. Code 54954.2(b)(2)",
    )
    assert rule.code == OFF_AGENDA_CODE

    meeting = make_meeting(body=body)
    item = add_item(section_titled(meeting, "Discussion"), title="Storm damage", actor=None)
    db.session.commit()
    assert item_default_threshold(item, MotionKind.MAIN) == OFF_AGENDA_CODE

    # The written rule stays a choice of its select, and saving again keeps it.
    html = client.get(path).get_data(as_text=True)
    again = form_values(html, "body-form")
    assert again["threshold_main_none"] == OFF_AGENDA_CODE
    assert rule_label(OFF_AGENDA_CODE) in html.replace("&#39;", "'")
    assert client.post(path, data=again).status_code == 302
    db.session.expire_all()
    assert body.default_thresholds == {"main:none": OFF_AGENDA_CODE}


def test_an_emergency_ordinance_with_a_fallback_is_written_for_ordinances(
    client, auth, make_body, make_meeting
):
    body = make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    path = f"/admin/bodies/{body.id}"
    data = form_values(client.get(path).get_data(as_text=True), "body-form")
    data["threshold_main_ordinance"] = "2/3:full"  # the written rule takes its place
    assert client.post(path, data={**data, **EMERGENCY}).status_code == 302
    db.session.expire_all()
    assert body.default_thresholds == {"main:ordinance": EMERGENCY_CODE}
    assert json.loads(EMERGENCY_CODE)["name"] == "an emergency ordinance"

    meeting = make_meeting(body=body)
    person = body.memberships[0].person_id
    ordinance = file_matter(body, matter_type=MatterType.ORDINANCE, title="Storm repairs",
                            text="BE IT ORDAINED", sponsor_ids=[person], actor=None)  # fmt: skip
    item = place_on_agenda(ordinance, meeting, "Ordinances", actor=None)
    db.session.commit()
    assert item_default_threshold(item, MotionKind.MAIN) == EMERGENCY_CODE
    html = client.get(path).get_data(as_text=True).replace("&#39;", "'")
    assert (
        "As an emergency ordinance: four-fifths of the full body; failing that, majority of the"
        " full body as an ordinary ordinance"
    ) in html


def test_a_threshold_by_its_old_name_is_stored_by_its_code(client, auth):
    auth.login(Role.ADMIN)
    data = form(threshold_main_ordinance="two_thirds_full")
    assert post(client, "/admin/bodies/new", data).status_code == 302
    assert the_body().default_thresholds["main:ordinance"] == "2/3:full"


def test_every_presets_thresholds_are_offered(client, auth):
    auth.login(Role.ADMIN)
    html = client.get("/admin/bodies/new").get_data(as_text=True)
    for preset in PRESETS.values():
        for code in preset.default_thresholds.values():
            assert f'value="{code}"' in html


@pytest.mark.parametrize("preset", list(RulesPreset))
def test_a_new_body_under_each_preset_gets_its_settings(client, auth, preset):
    db.session.add(Jurisdiction(name="Example", timezone="America/Chicago", rules_preset=preset))
    db.session.commit()
    auth.login(Role.ADMIN)
    data = form_values(client.get("/admin/bodies/new").get_data(as_text=True), "body-form")
    assert post(client, "/admin/bodies/new", {**data, "name": TRUSTEES}).status_code == 302
    body, expected = the_body(), PRESETS[preset]
    assert body.timezone == "America/Chicago"
    for name in ("quorum_rule", "abstention_policy", "is_recused_counted_for_quorum",
                 "notice_hours_regular", "notice_hours_special", "seat_base",
                 "is_full_body_less_recused", "presiding_vote",
                 "is_presiding_counted_for_quorum", "is_presiding_seat_counted",
                 "is_in_person_quorum", "is_unexcused_departure_present",
                 "is_tie_continued"):  # fmt: skip
        assert getattr(body, name) == getattr(expected, name), name
    assert body.default_thresholds == expected.default_thresholds
    assert body.rules_citation == expected.citation
    titles = [s.title for s in body.seat_list]
    assert titles == (list(expected.seat_titles) or ["Mayor", "Commissioner"])
    # The preset's presiding seat is the Mayor's, seat 1 (Robert's Rules names none).
    assert body.presiding_seat == expected.presiding_seat


def test_start_from_a_preset_fills_the_form_and_saves_nothing_until_saved(client, auth, make_body):
    body = make_body(name=TRUSTEES, seats=6)
    auth.login(Role.ADMIN)
    before, events = settings(body), count_rows(AuditEvent)
    page = client.get(f"/admin/bodies/{body.id}?preset=north_carolina")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "The form shows the preset “North Carolina city council" in html
    assert settings(body) == before and count_rows(AuditEvent) == events
    data = form_values(html, "body-form")
    assert data["seat_titles"] == "\n".join(s.title for s in body.seat_list)  # seats stay
    assert (data["presiding_seat"], data["presiding_vote"]) == ("1", "tie_only")
    assert data["threshold_main_ordinance"] == "majority:not_excused"

    assert client.post(f"/admin/bodies/{body.id}", data=data).status_code == 302
    db.session.expire_all()
    assert body.abstention_policy is AbstentionPolicy.SILENCE_AS_YES
    assert (body.seat_base, body.presiding_vote) == (SeatBase.FILLED, PresidingVote.TIE_ONLY)
    assert body.rules_citation == PRESETS[RulesPreset.NORTH_CAROLINA].citation
    assert body.default_thresholds == PRESETS[RulesPreset.NORTH_CAROLINA].default_thresholds


def test_an_unknown_preset_is_refused_beside_the_preset_select(client, auth, make_body):
    body = make_body(name=TRUSTEES)
    auth.login(Role.ADMIN)
    before = settings(body)
    page = client.get(f"/admin/bodies/{body.id}?preset=atlantis")
    assert page.status_code == 422
    assert error_beside(page.get_data(as_text=True), "preset") == "Choose a preset from the list."
    assert settings(body) == before


def test_the_new_body_form_can_start_from_another_preset(client, auth):
    auth.login(Role.ADMIN)
    html = client.get("/admin/bodies/new?preset=california").get_data(as_text=True)
    data = form_values(html, "body-form")
    assert data["seat_titles"] == "Mayor\n" + "\n".join(["Council Member"] * 4)
    assert data["threshold_main_resolution"] == "majority:full"
    assert count_rows(Body) == 0
