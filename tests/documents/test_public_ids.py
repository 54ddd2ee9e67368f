"""Ids in public addresses are never reused: after the newest attachment (or meeting, body,
matter, person) is deleted, the next one gets a new id, so an old link never serves it."""

from __future__ import annotations

import sqlalchemy as sa

from agenda.documents.models import Attachment
from agenda.documents.operations import store_blob
from agenda.extensions import db
from agenda.meetings.models import Meeting
from agenda.meetings.operations import add_item, section_titled
from tests.conftest import blank_pdf


def test_a_deleted_attachments_id_is_never_given_again(make_meeting):
    meeting = make_meeting()
    item = add_item(section_titled(meeting, "Resolutions"), title="An item", actor=None)
    blob = store_blob(blank_pdf())

    def attach(title: str) -> Attachment:
        attachment = Attachment(sha256=blob.sha256, filename=f"{title}.pdf", title=title,
                                page_count=1, agenda_item_id=item.id)  # fmt: skip
        db.session.add(attachment)
        db.session.commit()
        return attachment

    removed = attach("Staff report")
    removed_id = removed.id
    db.session.delete(removed)
    db.session.commit()
    assert attach("Another report").id > removed_id


def test_a_deleted_meetings_id_is_never_given_again(make_meeting, body):
    newest = make_meeting(body=body)
    newest_id = newest.id
    db.session.execute(sa.delete(Meeting).where(Meeting.id == newest_id))
    db.session.commit()
    assert make_meeting(body=body).id > newest_id
