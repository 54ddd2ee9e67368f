"""Import Legistar's events as meetings, their items, who attended, and matters' histories.

Field names used (webapi.legistar.com/Help; python-legistar-scraper legistar/events.py):
  Events: EventId, EventBodyId, EventDate, EventTime, EventLocation, EventAgendaStatusName,
    EventAgendaLastPublishedUTC, EventLastModifiedUtc
  EventItems: EventItemId, EventItemEventId, EventItemAgendaSequence, EventItemTitle,
    EventItemMatterId, EventItemConsent, EventItemPassedFlag (votes.py for the rest)
  RollCalls: RollCallId, RollCallPersonId, RollCallValueName, RollCallEventItemId
  MatterHistories: MatterHistoryId, MatterHistoryActionName, MatterHistoryActionDate,
    MatterHistoryPassedFlag, MatterHistoryEventId, MatterHistoryActionText
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.api.legistar.reader import Row, matter_of
from agenda.api.legistar.rules import (
    history_action,
    is_final_agenda,
    legistar_date,
    legistar_time,
    legistar_utc,
    local_instant,
    meeting_status,
    presence,
    recorded_result,
)
from agenda.api.legistar.run import Run
from agenda.bodies.models import Body, Membership
from agenda.extensions import db
from agenda.matters.models import Matter, MatterHistoryEvent
from agenda.meetings.facts import attendance_fact, item_fact
from agenda.meetings.models import AgendaItem, AgendaSection, Attendance, Meeting
from agenda.meetings.rules import MeetingType
from agenda.votes.rules import item_outcome

CONSENT_SECTION = "Consent agenda"
AGENDA_SECTION = "Agenda"


def import_meetings(run: Run, rows: list[Row]) -> None:
    """Schedule each event as a meeting: a final agenda is published, a past one adjourned."""
    bodies = {b.id: b for b in db.session.execute(sa.select(Body)).scalars()}
    new, keys, stamps = [], [], []
    for row in run.steps("Meetings", rows):
        external = row.get("EventId")
        body_id = run.local("body", row.get("EventBodyId"))
        day = legistar_date(row.get("EventDate"))
        if run.local("meeting", external) is not None:
            run.report.existing("meeting")
            continue
        if body_id is None or day is None:
            why = "its body was not imported" if day else "it has no EventDate"
            run.report.skip("meeting", external, why)
            continue
        body = bodies[body_id]
        at = legistar_time(row.get("EventTime")) or body.default_time
        scheduled = local_instant(day, at, body.timezone)
        final = is_final_agenda(row.get("EventAgendaStatusName"))
        status = meeting_status(final, scheduled, run.now)
        published = None
        if final:
            notice = timedelta(hours=body.notice_hours_regular)
            published = legistar_utc(row.get("EventAgendaLastPublishedUTC")) or (scheduled - notice)
        new.append(
            {
                "body_id": body_id,
                "meeting_type": MeetingType.REGULAR,
                "status": status,
                "scheduled_at": scheduled,
                "timezone": body.timezone,
                "location": (row.get("EventLocation") or body.default_location or "")[:300],
                "published_at": published,
                "called_to_order_at": scheduled if status.value == "adjourned" else None,
                "created_at": run.now,
                "updated_at": run.now,
            }
        )
        keys.append(str(external))
        stamps.append(row.get("EventLastModifiedUtc"))
    ids = run.insert(Meeting, new)
    run.remember("meeting", zip(keys, ids, strict=True), stamps)
    if ids:
        run.audit("meeting", {}, {"created": len(ids), "meetings": ids})


def import_items(run: Run, rows: list[Row]) -> None:
    """Number each new meeting's items in Legistar's agenda order, consent items apart."""
    by_event: dict[str, list[Row]] = defaultdict(list)
    for row in run.steps("Items", rows):
        external = row.get("EventItemId")
        event = row.get("EventItemEventId")
        if run.local("item", external) is not None:
            run.report.existing("item")
        elif run.local("meeting", event) is None:
            run.report.skip("item", external, f"its event {event} was not imported")
        elif not run.is_fresh("meeting", event):
            run.report.skip("item", external, "its meeting was imported by an earlier run")
        else:
            by_event[str(event)].append(row)
    sections, placed = [], []
    for event, items in by_event.items():
        meeting_id = run.local("meeting", event)
        items.sort(key=lambda r: (int(r.get("EventItemAgendaSequence") or 0), r["EventItemId"]))
        consent = [r for r in items if int(r.get("EventItemConsent") or 0)]
        others = [r for r in items if not int(r.get("EventItemConsent") or 0)]
        for group, title in ((consent, CONSENT_SECTION), (others, AGENDA_SECTION)):
            if group:
                position = len([s for s in sections if s["meeting_id"] == meeting_id]) + 1
                sections.append(
                    {
                        "meeting_id": meeting_id,
                        "position": position,
                        "title": title,
                        "is_consent": title == CONSENT_SECTION,
                    }
                )
                placed.append(group)
    section_ids = run.insert(AgendaSection, sections)
    new, keys = [], []
    for section_id, group in zip(section_ids, placed, strict=True):
        for position, row in enumerate(group, start=1):
            result = recorded_result(row.get("EventItemPassedFlag"))
            title = (row.get("EventItemTitle") or row.get("EventItemMatterName") or "").strip()
            new.append(
                {
                    "section_id": section_id,
                    "position": position,
                    "title": (title or f"Item {position}")[:500],
                    "matter_id": run.local("matter", row.get("EventItemMatterId")),
                    "disposition": item_outcome(result) if result is not None else None,
                }
            )
            keys.append(str(row["EventItemId"]))
    ids = run.insert(AgendaItem, new)
    run.remember("item", zip(keys, ids, strict=True))
    facts: dict[str, Any] = {}
    for item_id, values in zip(ids, new, strict=True):
        if values["disposition"] is not None:
            facts |= item_fact(_item(item_id, values))
    if ids:
        run.audit("item", facts, {"created": len(ids)})


def _item(item_id: int, values: dict[str, Any]) -> Any:
    return SimpleNamespace(
        id=item_id, continued_to_id=None, pulled_from_consent_at=None, pulled_note="", **values
    )


def meeting_of_items(run: Run) -> dict[int, int]:
    """Return the meeting of each item this run created (item id -> meeting id)."""
    fresh = [run.known["item"][k] for k in run.fresh.get("item", ())]
    found: dict[int, int] = {}
    for n in range(0, len(fresh), 5000):
        found |= dict(
            db.session.execute(
                sa.select(AgendaItem.id, AgendaSection.meeting_id)
                .join(AgendaSection, AgendaSection.id == AgendaItem.section_id)
                .where(AgendaItem.id.in_(fresh[n : n + 5000]))
            ).all()
        )
    return found


def seated(meeting_ids: set[int]) -> dict[int, dict[int, Membership]]:
    """Return who held a seat on each meeting's body on its local date (meeting -> person)."""
    meetings = db.session.execute(
        sa.select(Meeting.id, Meeting.body_id, Meeting.scheduled_at, Meeting.timezone).where(
            Meeting.id.in_(meeting_ids)
        )
    ).all()
    bodies = {m.body_id for m in meetings}
    terms: dict[int, list[Membership]] = defaultdict(list)
    for term in db.session.execute(
        sa.select(Membership)
        .where(Membership.body_id.in_(bodies))
        .options(selectinload(Membership.person))
    ).scalars():
        terms[term.body_id].append(term)
    found: dict[int, dict[int, Membership]] = {}
    for m in meetings:
        day = m.scheduled_at.astimezone(ZoneInfo(m.timezone)).date()
        found[m.id] = {
            t.person_id: t
            for t in terms[m.body_id]
            if t.starts_on <= day and (t.ends_on is None or t.ends_on >= day)
        }
    return found


def import_attendance(run: Run, rows: list[Row]) -> None:
    """Record who was present or absent at each new meeting, from its first roll call."""
    meetings = meeting_of_items(run)
    roster = seated(set(meetings.values()))
    new, keys, seen = [], [], set()
    for row in run.steps("Attendance", rows):
        external = row.get("RollCallId")
        item_id = run.local("item", row.get("RollCallEventItemId"))
        person_id = run.local("person", row.get("RollCallPersonId"))
        meeting_id = meetings.get(item_id) if item_id is not None else None
        key = f"{meeting_id}:{person_id}"
        value = presence(row.get("RollCallValueName"))
        if run.local("attendance", external) is not None:
            run.report.existing("attendance")
        elif meeting_id is None:
            run.report.skip("attendance", external, "its item was not imported by this run")
        elif person_id is None or person_id not in roster[meeting_id]:
            run.report.skip("attendance", external, "its person held no seat on the body that day")
        elif value is None:
            run.report.skip(
                "attendance",
                external,
                f"unknown RollCallValueName “{row.get('RollCallValueName')}”",
            )
        elif key in seen:
            run.remember("attendance", [(external, meeting_id)], counted=False)
        else:
            seen.add(key)
            new.append(
                {
                    "meeting_id": meeting_id,
                    "person_id": person_id,
                    "status": value.status,
                    "arrived_at": None,
                    "left_at": None,
                    "is_remote": value.remote,
                    "is_excused": value.excused,
                }
            )
            keys.append(str(external))
    ids = run.insert(Attendance, new)
    run.remember("attendance", zip(keys, ids, strict=True))
    facts: dict[str, Any] = {}
    for new_id, values in zip(ids, new, strict=True):
        facts |= attendance_fact(
            values["meeting_id"],
            values["person_id"],
            [SimpleNamespace(id=new_id, **values)],  # type: ignore[list-item]
        )
    if ids:
        run.audit("attendance", facts, {"created": len(ids)})


def import_history(run: Run, rows: list[Row]) -> None:
    """Add each matter's actions to its history, linked to the meeting where they were taken."""
    new, keys = [], []
    starts = (
        dict(db.session.execute(sa.select(Meeting.id, Meeting.scheduled_at)).all()) if rows else {}
    )
    zones = dict(db.session.execute(sa.select(Body.id, Body.timezone)).all()) if rows else {}
    bodies = dict(db.session.execute(sa.select(Matter.id, Matter.body_id)).all()) if rows else {}
    for row in run.steps("History", rows):
        external = row.get("MatterHistoryId")
        matter = matter_of(row, "MatterHistory")
        matter_id = run.local("matter", matter)
        action = history_action(
            row.get("MatterHistoryActionName"), row.get("MatterHistoryPassedFlag")
        )
        meeting_id = run.local("meeting", row.get("MatterHistoryEventId"))
        day = legistar_date(row.get("MatterHistoryActionDate"))
        if run.local("history", external) is not None:
            run.report.existing("history")
        elif matter_id is None:
            run.report.skip("history", external, f"its matter {matter} was not imported")
        elif action is None:
            name = row.get("MatterHistoryActionName")
            run.report.skip("history", external, f"unknown MatterHistoryActionName “{name}”")
        elif day is None and meeting_id is None:
            run.report.skip("history", external, "it has no MatterHistoryActionDate")
        else:
            when = (
                starts[meeting_id]
                if meeting_id is not None and day is None
                else local_instant(day, None, zones[bodies[matter_id]])  # type: ignore[arg-type]
            )
            note = row.get("MatterHistoryActionText") or row.get("MatterHistoryActionName") or ""
            new.append(
                {
                    "matter_id": matter_id,
                    "action": action,
                    "occurred_at": when,
                    "meeting_id": meeting_id,
                    "note": str(note).strip(),
                }
            )
            keys.append(str(external))
    ids = run.insert(MatterHistoryEvent, new)
    run.remember("history", zip(keys, ids, strict=True))
    if ids:
        run.audit("history", {}, {"created": len(ids)})
