"""A form submitted twice acts once: Back and submit, or a replayed POST, records nothing twice."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.meetings.models import AgendaItem
from agenda.once import FormKey
from agenda.votes.models import Motion, Vote
from tests.clerk.test_console import ballots, in_session, moved, text_of
from tests.conftest import count_rows, csrf_token

KEY = re.compile(r'name="once" value="([^"]+)"')


def keys_on(client: Any, path: str) -> list[str]:
    return KEY.findall(client.get(path).get_data(as_text=True))


def test_every_form_on_the_console_carries_its_own_key_fresh_on_each_load(clerk, meeting, people):
    in_session(meeting, people)
    first, second = keys_on(clerk.client, clerk.url), keys_on(clerk.client, clerk.url)
    forms = clerk.client.get(clerk.url).get_data(as_text=True).count('method="post"')
    # Every form but sign-out carries a key; no key repeats, on a page or across loads.
    assert len(first) == forms - 1 and len(first) >= 4
    assert len(set(first) | set(second)) == 2 * len(first)


def test_a_replayed_motion_is_recorded_once_and_the_repeat_shows_the_first_result(
    clerk, meeting, item, people
):
    in_session(meeting, people)
    key = keys_on(clerk.client, clerk.url)[0]
    fields = {"motion-kind": "main", "motion-threshold": "", "motion-text": "Move to adopt.",
              "motion-mover": people[5].id, "motion-seconder": people[1].id}  # fmt: skip
    fields["once"] = key
    path = f"/clerk/console/items/{item.id}/motions"
    first = clerk.post(path, fields)
    assert first.status_code == 302 and count_rows(Motion) == 1
    again = clerk.post(path, fields)
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert count_rows(Motion) == 1
    page = text_of(clerk.client.get(again.headers["Location"]))
    assert "Already recorded: this form was submitted before" in page
    assert "Move to adopt." in page
    # A new load of the form gives a new key, so a second motion is a deliberate act.
    fields["once"] = keys_on(clerk.client, clerk.url)[0]
    assert clerk.post(path, fields).status_code == 302 and count_rows(Motion) == 2


def test_a_replayed_roll_call_records_one_vote_and_answers_with_its_result(
    clerk, meeting, item, people
):
    in_session(meeting, people)
    motion = moved(item, people)
    data = {**ballots(people, {3: "no"}), "once": keys_on(clerk.client, clerk.url)[-1]}
    first = clerk.roll_call(motion, data)
    assert first.status_code == 302
    again = clerk.roll_call(motion, data, follow=True)
    # Without the key the repeat is refused as a conflict (409); with it, the clerk sees the
    # recorded result and is told nothing was recorded twice.
    assert again.status_code == 200 and "Already recorded" in text_of(again)
    assert "Passed 6-1" in text_of(again)
    assert count_rows(Vote) == 1
    db.session.expire_all()
    assert db.session.execute(sa.select(Vote)).scalar_one().no_count == 1


def test_a_refused_submission_does_not_use_up_its_key(clerk, meeting, item, people):
    in_session(meeting, people)
    key = keys_on(clerk.client, clerk.url)[0]
    path = f"/clerk/console/items/{item.id}/motions"
    fields = {"motion-kind": "main", "motion-threshold": "", "motion-text": "Move to adopt.",
              "motion-mover": "", "motion-seconder": people[1].id, "once": key}  # fmt: skip
    refused = clerk.post(path, fields)
    assert refused.status_code == 422 and count_rows(Motion) == 0 and count_rows(FormKey) == 0
    # Nothing was recorded, so the same key still records the corrected submit, once.
    fields["motion-mover"] = people[5].id
    assert clerk.post(path, fields).status_code == 302
    assert clerk.post(path, fields).status_code == 302 and count_rows(Motion) == 1


def test_an_agenda_item_added_twice_with_one_key_is_added_once(auth, client, make_meeting, body):
    auth.login(Role.CLERK)
    draft = make_meeting(body=body, published=False)
    path = f"/clerk/meetings/{draft.id}"
    key, token = keys_on(client, path)[0], csrf_token(client, path)
    before = count_rows(AgendaItem)
    data = {
        "csrf_token": token,
        "once": key,
        "item-section": draft.sections[0].id,
        "item-title": "Proclamation: Arbor Day",
        "item-matter": "",
        "item-description": "",
    }
    first = client.post(f"{path}/items", data=data)
    again = client.post(f"{path}/items", data=data)
    assert first.status_code == again.status_code == 302
    assert count_rows(AgendaItem) == before + 1
    assert "Already recorded" in text_of(client.get(again.headers["Location"]))
