"""A body's default thresholds, set by the admin, are what the console's motions start with."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.auth.rules import Role
from agenda.extensions import db
from agenda.matters.operations import file_matter, place_on_agenda
from agenda.matters.rules import MatterType
from agenda.meetings.operations import section_titled
from agenda.votes.models import Motion
from tests.clerk.test_console import Clerk, in_session, text_of
from tests.conftest import csrf_token, publish_pending


def test_ordinances_of_a_body_that_needs_two_thirds_start_at_two_thirds(
    client, auth, body, meeting, people, item
):
    # The admin sets the body's ordinances to two-thirds of the full body on its screen.
    auth.login(Role.ADMIN)
    path = f"/admin/bodies/{body.id}"
    form_page = client.get(path).get_data(as_text=True)
    assert 'id="threshold_main_ordinance"' in form_page
    data = {
        "name": body.name, "kind": "commission", "timezone": body.timezone,
        "seat_titles": "\n".join(s.title for s in body.seat_list),
        "quorum_rule": "majority_of_seats", "abstention_policy": "conflict_only",
        "notice_hours_regular": "168", "notice_hours_special": "24",
        "threshold_main_ordinance": "2/3:full", "seat_base": "authorized",
        "presiding_vote": "always", "is_presiding_counted_for_quorum": "y",
        "is_presiding_seat_counted": "y",
        "sections": "\n".join(s.title for s in meeting.sections),
        "consent_section": "4", "csrf_token": csrf_token(client, path),
    }  # fmt: skip
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert body.default_thresholds == {"main:ordinance": "2/3:full"}
    auth.logout()

    ordinance = file_matter(body, matter_type=MatterType.ORDINANCE, title="Rentals",
                            text="BE IT ORDAINED", sponsor_ids=[people[0].id],
                            actor=None)  # fmt: skip
    place_on_agenda(ordinance, meeting, "Ordinances", actor=None)
    publish_pending(meeting)
    db.session.commit()
    ordinance_item = section_titled(meeting, "Ordinances").items[0]
    auth.login(Role.CLERK)
    clerk = Clerk(client, meeting)
    in_session(meeting, people)

    page = text_of(clerk.page(item=ordinance_item.id))
    assert "two-thirds of the full body for main" in page
    clerk.motion(ordinance_item, text="Move to adopt.", mover=people[5].id,
                 seconder=people[1].id)  # fmt: skip
    clerk.motion(item, text="Move to adopt.", mover=people[5].id, seconder=people[1].id)
    motions = db.session.execute(sa.select(Motion).order_by(Motion.id)).scalars().all()
    # The ordinance starts at the body's two-thirds; the resolution keeps the usual default.
    assert [m.threshold for m in motions] == ["2/3:full", "majority:present_voting"]
