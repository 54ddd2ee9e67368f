"""Render a 60-item agenda through the app's own template and renderer, on a scratch database."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pikepdf
from flask_migrate import upgrade

from agenda import create_app
from agenda.bodies.models import Body, Membership, Person
from agenda.extensions import db
from agenda.matters.operations import create_matter
from agenda.matters.rules import MatterType
from agenda.meetings.documents import render_agenda_pdf
from agenda.meetings.operations import add_item, create_meeting, section_titled
from agenda.meetings.rules import MeetingType


def app_agenda_render_times(folder: Path, items: int, runs: int) -> tuple[int, list[float]]:
    """Build a meeting of `items` resolutions and time render_agenda_pdf `runs` times."""
    app = create_app(
        {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'b.sqlite'}"}
    )
    with app.app_context():
        upgrade()
        body = Body(
            name="Bench City Commission", slug="bench", seats=7, timezone="America/New_York",
            appeal_statement="Appeal statement.", accommodation_statement="ADA statement.",
        )  # fmt: skip
        person = Person(name="Bench Sponsor")
        body.memberships.append(
            Membership(person=person, seat=1, title="Mayor", starts_on=date(2020, 1, 1))
        )
        db.session.add(body)
        meeting = create_meeting(
            body, meeting_type=MeetingType.REGULAR, location="City Hall", actor=None,
            scheduled_at=datetime.now(UTC) + timedelta(days=9),
        )  # fmt: skip
        section = section_titled(meeting, "Resolutions")
        for n in range(items):
            matter = create_matter(
                body, matter_type=MatterType.RESOLUTION, sponsors=[person], actor=None,
                title=f"A resolution of the commission on bench matter number {n}, approving a "
                "contract, authorizing the city manager, and providing for an effective date",
                text="Resolved.",
            )  # fmt: skip
            add_item(section, title=matter.title, matter=matter, actor=None)
        db.session.commit()
        render_agenda_pdf(meeting, None)  # warm the font configuration
        times, data = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            data = render_agenda_pdf(meeting, None)
            times.append(time.perf_counter() - start)
        with pikepdf.open(BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        db.engine.dispose()
    return pages, times
