"""Out-of-range input (issue 13, finding 8): every route answers 4xx, never 5xx; nothing stored.

The corpus is `tests/data/bad_input.py`; the walk covers every route of `routes_under(app, "/")`
as an admin (who passes every guard), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from werkzeug.routing import Rule
from wtforms import StringField
from wtforms.validators import Length

import agenda
from agenda.api.bulk import kept_zips
from agenda.auth.rules import Role
from agenda.documents.models import Blob
from agenda.extensions import db
from agenda.matters.operations import place_on_agenda
from agenda.meetings.models import AgendaItem, Meeting
from agenda.meetings.operations import section_titled
from agenda.votes.models import Vote
from tests.clerk.test_console import START, Clerk, ballots, in_session, moved, text_of
from tests.conftest import csrf_token, publish_pending, routes_under
from tests.data import bad_input

PART = re.compile(r"<(?:(\w+):)?(\w+)>")
SKIPPED = ("/static/", "/logout")


def all_rows() -> dict[str, int]:
    """Return the row count of every table, less the bulk download's kept zip (a cache)."""
    counts = {
        t.name: db.session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
        for t in db.metadata.sorted_tables
    }
    counts["blobs"] -= db.session.execute(
        sa.select(sa.func.count()).select_from(Blob).where(kept_zips())
    ).scalar_one()
    return counts


@pytest.fixture
def meeting(body, matter, make_meeting) -> Meeting:
    """A published meeting of the 7-seat body on July 7, 2026, with the resolution on it."""
    meeting = make_meeting(body=body, scheduled_at=START)
    place_on_agenda(matter, meeting, "Resolutions", actor=None)
    publish_pending(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def item(meeting) -> AgendaItem:
    return section_titled(meeting, "Resolutions").items[0]


@pytest.fixture
def people(body) -> list[Any]:
    return [m.person for m in body.memberships]


@pytest.fixture
def ids(body, matter, meeting, item, auth) -> dict[str, Any]:
    """Real ids by the name of the address part, and a signed-in admin (who passes every guard)."""
    admin = auth.login(Role.ADMIN)
    return {
        "meeting_id": meeting.id,
        "body_id": body.id,
        "matter_id": matter.id,
        "item_id": item.id,
        "section_id": item.section_id,
        "person_id": body.memberships[0].person_id,
        "user_id": admin.id,
    }


def rules(app) -> list[Rule]:
    paths = {path for _, path in routes_under(app, "/")}
    return [
        r
        for r in app.url_map.iter_rules()
        if PART.sub("1", r.rule) in paths and not r.rule.startswith(SKIPPED)
    ]


def fill(rule: Rule, ids: dict[str, Any], **given: str) -> str:
    """Return the rule's path with real ids (or `given` values) in its parts."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.groups()
        if name in given:
            return given[name]
        if converter == "int":
            return str(ids.get(name, 1))
        return {"path": "x.pdf", "string": "0" * 64}.get(converter or "", "token")

    return PART.sub(value, rule.rule)


def methods(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def test_ids_no_column_holds_answer_404_on_every_route(app, client, ids):
    token = csrf_token(client, "/clerk/")
    before = all_rows()
    walked = 0
    for rule in rules(app):
        for name in [n for c, n in PART.findall(rule.rule) if c == "int"]:
            for huge in bad_input.HUGE_IDS:
                path = fill(rule, ids, **{name: huge})
                for method in methods(rule):
                    response = client.open(path, method=method, data={"csrf_token": token})
                    assert response.status_code == 404, (method, path[:120])
                    walked += 1
    assert walked > 150
    assert all_rows() == before


def test_odd_ids_never_answer_5xx(app, client, ids):
    token = csrf_token(client, "/clerk/")
    for rule in rules(app):
        for name in [n for c, n in PART.findall(rule.rule) if c == "int"]:
            for odd in bad_input.ODD_IDS:
                path = fill(rule, ids, **{name: odd})
                for method in methods(rule):
                    response = client.open(path, method=method, data={"csrf_token": token})
                    assert response.status_code < 500, (method, path)


def test_query_strings_of_the_corpus_never_answer_5xx(app, client, ids):
    before = all_rows()
    gets = [r for r in rules(app) if "GET" in methods(r)]
    assert len(gets) > 40
    for rule in gets:
        path = fill(rule, ids)
        for value in bad_input.QUERY_VALUES:
            query = dict.fromkeys(bad_input.QUERY_NAMES, value)
            response = client.get(path, query_string=query)
            assert response.status_code < 500, (path, value[:40])
            digits = value.lstrip("-")
            too_large = digits.isdigit() and (len(digits) > 10 or int(digits) > bad_input.MAX_ID)
            if "\x00" in value or too_large:
                assert response.status_code == 400, (path, value[:40])
    assert all_rows() == before


def test_a_nul_byte_in_any_form_field_is_refused_with_nothing_stored(app, client, ids):
    token = csrf_token(client, "/clerk/")
    before = all_rows()
    posts = [r for r in rules(app) if "POST" in methods(r)]
    assert len(posts) > 40
    for rule in posts:
        response = client.post(
            fill(rule, ids), data={"csrf_token": token, "title": bad_input.NUL, "text": "ok"}
        )
        assert response.status_code == 400, rule.rule
        assert "NUL character" in text_of(response)
        # A field's name, not only its value.
        response = client.post(fill(rule, ids), data={"csrf_token": token, "ti\x00tle": "x"})
        assert response.status_code == 400, rule.rule
    assert all_rows() == before


@pytest.mark.parametrize(
    "query", [{"year": "0"}, {"year": "99999"}, {"year": "-5"}, {"body": "9" * 5000}]
)
def test_out_of_range_filters_answer_400_with_a_message(client, make_meeting, query):
    make_meeting()
    response = client.get("/meetings", query_string=query)
    assert response.status_code == 400
    assert "Choose a year from 1900 to 2199" in text_of(response) or "too large" in text_of(
        response
    )


def test_in_range_filters_and_words_for_numbers_still_work(client, make_meeting):
    make_meeting()
    assert client.get("/meetings?year=2199").status_code == 200
    assert client.get("/meetings?year=1900").status_code == 200
    # A word where the list takes a number is a mistake the visitor is told of (issue 14).
    refused = client.get("/meetings?year=1900&body=abc")
    assert refused.status_code == 400 and "The body must be a number." in text_of(refused)
    assert client.get(f"/meetings?body={bad_input.MAX_ID}").status_code == 200
    assert client.get("/clerk/?page=" + "9" * 30).status_code == 400


def test_a_huge_meeting_id_answers_404_not_500(client):
    assert client.get(f"/meetings/{bad_input.MAX_ID + 1}").status_code == 404
    assert client.get(f"/meetings/{bad_input.MAX_ID}").status_code == 404
    assert client.get(f"/meetings/{2**63}").status_code == 404
    assert client.get(f"/matters/{'9' * 30}").status_code == 404


def test_a_nul_byte_in_the_login_e_mail_answers_400_and_signs_nobody_in(client, make_user):
    user = make_user(Role.CLERK)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": user.email + "\x00", "password": "x", "csrf_token": token},
    )
    assert response.status_code == 400
    assert "NUL character" in text_of(response)
    assert client.get("/clerk/").status_code == 302


def test_a_nul_byte_in_a_query_value_or_the_path_answers_400(client):
    assert client.get("/meetings?body=1%00").status_code == 400
    assert client.get("/reset/abc%00def").status_code == 400
    assert client.get("/invite/%00").status_code == 400


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9999-12-31", "Choose a date from 1900 to 2199."),
        ("0001-01-01", "Choose a date from 1900 to 2199."),
        ("1899-12-31", "Choose a date from 1900 to 2199."),
        ("0000-00-00", "Enter a real date, like 2026-07-07."),
    ],
)
def test_a_meeting_outside_1900_to_2199_is_refused_beside_the_date(
    client, auth, body, day, message
):
    auth.login(Role.CLERK)
    token = csrf_token(client, "/clerk/meetings/new")
    before = db.session.execute(sa.select(sa.func.count(Meeting.id))).scalar_one()
    response = client.post(
        "/clerk/meetings/new",
        data={"csrf_token": token, "body": str(body.id), "meeting_type": "regular",
              "day": day, "at": "17:00", "location": "City Hall", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 422
    assert message in text_of(response)
    assert db.session.execute(sa.select(sa.func.count(Meeting.id))).scalar_one() == before


def test_a_meeting_moved_to_9999_12_31_is_refused(client, auth, make_meeting):
    meeting = make_meeting(published=False)
    auth.login(Role.CLERK)
    path = f"/clerk/meetings/{meeting.id}"
    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "meeting_type": "regular",
              "day": "9999-12-31", "at": "23:30", "location": "City Hall", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Choose a date from 1900 to 2199." in text_of(response)
    db.session.expire_all()
    assert meeting.scheduled_at.year < 9999


@pytest.mark.parametrize(
    "odd",
    [
        {"vote-99999999999999999999": "yes"},
        {"reason-99999999999999999999": "x"},
        {"excused-" + "9" * 400: "y"},
        {"vote-": "yes", "vote--1": "yes", "vote-1.5": "no", "vote-١٢": "yes"},
    ],
)
def test_odd_field_names_do_not_crash_the_roll_call(auth, client, meeting, item, people, odd):
    in_session(meeting, people)
    motion = moved(item, people)
    auth.login(Role.CLERK)
    response = Clerk(client, meeting).roll_call(motion, {**ballots(people), **odd})
    assert response.status_code == 302  # the odd names are no member's: the roll call stands
    assert db.session.execute(sa.select(sa.func.count(Vote.id))).scalar_one() == 1


def test_an_unknown_member_in_a_roll_call_is_refused(auth, client, meeting, item, people):
    in_session(meeting, people)
    motion = moved(item, people)
    auth.login(Role.CLERK)
    data = {**ballots(people), "vote-" + "9" * 10: "yes"}
    response = Clerk(client, meeting).roll_call(motion, data)
    assert 400 <= response.status_code < 500
    assert db.session.execute(sa.select(sa.func.count(Vote.id))).scalar_one() == 0


def test_an_unbounded_recusal_reason_is_refused_beside_the_member(
    auth, client, meeting, item, people
):
    in_session(meeting, people)
    motion = moved(item, people)
    auth.login(Role.CLERK)
    data = {**ballots(people, {2: "recused"}), f"reason-{people[2].id}": "x" * 100_000}
    response = Clerk(client, meeting).roll_call(motion, data)
    assert response.status_code == 422
    assert "reason under 2,000 characters" in text_of(response)
    assert db.session.execute(sa.select(sa.func.count(Vote.id))).scalar_one() == 0


@pytest.mark.parametrize("text", bad_input.TEXT[:-1] + bad_input.XSS + bad_input.SSRF)
def test_corpus_text_is_stored_and_shown_as_text(client, auth, make_meeting, text):
    meeting = make_meeting(published=False)
    auth.login(Role.CLERK)
    path = f"/clerk/meetings/{meeting.id}"
    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "meeting_type": "regular",
              "day": "2026-07-07", "at": "17:00", "location": text, "notes": text},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    db.session.expire_all()
    assert meeting.location == text.strip()


def test_every_free_text_field_has_a_length_limit(app):
    """Every StringField and TextAreaField of every form class carries a Length validator."""
    for info in pkgutil.walk_packages(agenda.__path__, "agenda."):
        if info.name.endswith("forms"):
            importlib.import_module(info.name)
    unbounded = []
    with app.test_request_context():
        for form_class in _subclasses(FlaskForm):
            form = form_class(meta={"csrf": False})
            for field in form:
                limited = any(isinstance(v, Length) for v in field.validators)
                if isinstance(field, StringField) and field.type != "HiddenField" and not limited:
                    unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{field.name}")
    assert unbounded == []


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found
