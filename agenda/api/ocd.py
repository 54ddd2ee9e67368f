"""Open Civic Data objects from the public record: pure mapping, no web or database imports.

The exporter (`agenda.api.export`) reads the record into the plain dataclasses below; the
functions here turn them into the dicts pupa writes, one file per object: jurisdiction,
organization, person, membership, event, bill and vote_event. Field names follow pupa's
schemas (pupa/scrape/schemas/*.py) and python-opencivicdata's vocabularies. Ids are stable:
`ocd-<kind>/<uuid5>` over the jurisdiction's namespace and "agenda:<kind>:<our id>", so an
export made again, on any server, names every object the same way.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from agenda.api.ocd_data import (
    BillData,
    BodyData,
    EventData,
    ItemData,
    JurisdictionData,
    Link,
    MembershipData,
    PersonData,
    VoteData,
)

# Our ids' kinds, and the prefix of the OCD id each becomes (vote events are "ocd-vote/").
ID_PREFIXES = {
    "organization": "ocd-organization",
    "person": "ocd-person",
    "membership": "ocd-membership",
    "event": "ocd-event",
    "bill": "ocd-bill",
    "vote_event": "ocd-vote",
}
# The order of a vote event's counts: every option this record can hold, zeros included.
OPTIONS = ("yes", "no", "abstain", "absent", "excused", "not voting")
ORGANIZATION_CLASSIFICATIONS = {
    "commission": "legislature",
    "committee": "committee",
    # OCD has no "board"; a municipal board (planning, zoning) is what it calls a commission.
    "board": "commission",
}
BILL_CLASSIFICATIONS = {
    "resolution": "resolution",
    "ordinance": "ordinance",
    "proclamation": "proclamation",
    "report": "bill",  # OCD has no report; the matter type stays in extras
}
ACTION_CLASSIFICATIONS = {
    "filed": ["filing"],
    "placed_on_agenda": ["introduction"],
    "first_reading": ["reading-1"],
    "second_reading": ["reading-2"],
    "continued": ["deferral"],
    "tabled": ["deferral"],
    "amended": ["amendment-passage"],
    "adopted": ["passage"],
    "failed": ["failure"],
    "withdrawn": ["withdrawal"],
}
EVENT_STATUSES = {
    "published": "confirmed",
    "in_progress": "confirmed",
    "adjourned": "passed",
    "cancelled": "cancelled",
}
_PLACE_PREFIXES = re.compile(r"^(city|town|village|borough|township) of\s+", re.IGNORECASE)
_STATE = re.compile(r",\s*([A-Z]{2})\s+\d{5}")


# ---------------------------------------------------------------------------------------------
# Ids


def division_id(name: str, address: str = "") -> str:
    """Return the OCD division of a city from its name and address.

    "City of Key West (demo)" at "..., Key West, FL 33040" ->
    "ocd-division/country:us/state:fl/place:key_west".
    """
    place = re.sub(r"\(.*?\)", "", name).strip()
    place = _PLACE_PREFIXES.sub("", place).strip() or "city"
    slug = re.sub(r"[^\w.~-]+", "_", place.lower()).strip("_")
    state = _STATE.search(address)
    parts = ["ocd-division/country:us"]
    if state:
        parts.append(f"state:{state.group(1).lower()}")
    parts.append(f"place:{slug}")
    return "/".join(parts)


def jurisdiction_id(division: str) -> str:
    """Return the OCD jurisdiction of a division's government."""
    return f"ocd-jurisdiction/{division.removeprefix('ocd-division/')}/government"


@dataclass(frozen=True)
class Ids:
    """Stable OCD ids for our records, in the namespace of one jurisdiction."""

    jurisdiction: str

    def of(self, kind: str, local_id: int) -> str:
        """Return the OCD id of our record `local_id` of `kind` (a key of ID_PREFIXES)."""
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.jurisdiction)
        return f"{ID_PREFIXES[kind]}/{uuid.uuid5(namespace, f'agenda:{kind}:{local_id}')}"


def file_name(kind: str, ocd_id: str) -> str:
    """Return the file an object is written to, as pupa names them: `<type>_<uuid>.json`."""
    if kind == "jurisdiction":
        return f"jurisdiction_{ocd_id.replace('/', '-')}.json"
    return f"{kind}_{ocd_id.rsplit('/', 1)[-1]}.json"


# ---------------------------------------------------------------------------------------------
# Mapping


def option_of(value: str, is_excused: bool = False) -> str:
    """Return a ballot's OCD option: recused and the non-voting chair are "not voting", an
    absence the body excused is "excused" (the API's vote events and the export share it)."""
    if value == "absent":
        return "excused" if is_excused else "absent"
    if value in ("recused", "not_voting"):
        return "not voting"
    return value


def local_iso(instant: datetime, tz: str) -> str:
    """Return an instant as local ISO 8601 with its offset: '2026-07-07T17:00:00-04:00'."""
    return instant.astimezone(ZoneInfo(tz)).isoformat()


def session_of(two_digit_year: int, filed: datetime) -> str:
    """Return the legislative session (a calendar year) of a file number's two-digit year."""
    year = filed.year // 100 * 100 + two_digit_year
    return str(year - 100 if year > filed.year + 1 else year)


def _source(url: str) -> list[dict[str, str]]:
    return [{"url": url, "note": ""}]


def _document(link: Link) -> dict[str, Any]:
    return {
        "note": link.note,
        "date": "",
        "links": [{"url": link.url, "media_type": link.media_type, "text": ""}],
    }


def jurisdiction(data: JurisdictionData, ids: Ids) -> dict[str, Any]:
    """Return the jurisdiction: the city's government, with a session per year of legislation."""
    return {
        "_type": "jurisdiction",
        "id": ids.jurisdiction,
        "name": data.name,
        "url": data.url,
        "classification": "government",
        "division_id": division_id(data.name, data.address),
        "legislative_sessions": [
            {
                "identifier": year,
                "name": year,
                "classification": "primary",
                "start_date": f"{year}-01-01",
                "end_date": f"{year}-12-31",
            }
            for year in data.sessions
        ],
        "feature_flags": [],
        "extras": {"timezone": data.timezone},
    }


def organization(body: BodyData, ids: Ids) -> dict[str, Any]:
    """Return a body as an OCD organization: the city commission is the legislature."""
    return {
        "_type": "organization",
        "id": ids.of("organization", body.id),
        "name": body.name,
        "classification": ORGANIZATION_CLASSIFICATIONS.get(body.kind, "committee"),
        "parent_id": None,
        "jurisdiction_id": ids.jurisdiction,
        "other_names": [],
        "identifiers": [{"identifier": str(body.id), "scheme": "agenda"}],
        "founding_date": "",
        "dissolution_date": "",
        "links": [{"url": body.url, "note": "Members, meetings and votes"}],
        "sources": _source(body.url),
        "extras": {"kind": body.kind, "seats": body.seats},
    }


def person(data: PersonData, ids: Ids) -> dict[str, Any]:
    """Return a member as an OCD person."""
    return {
        "_type": "person",
        "id": ids.of("person", data.id),
        "name": data.name,
        "other_names": [],
        "identifiers": [{"identifier": str(data.id), "scheme": "agenda"}],
        "links": [{"url": data.url, "note": "Attendance and voting record"}],
        "sources": _source(data.url),
        "extras": {},
    }


def membership(data: MembershipData, ids: Ids) -> dict[str, Any]:
    """Return a term on a seat as a Popolo membership."""
    return {
        "_type": "membership",
        "id": ids.of("membership", data.id),
        "person_id": ids.of("person", data.person_id),
        "person_name": data.person_name,
        "organization_id": ids.of("organization", data.body_id),
        "post_id": None,
        "role": "member",
        "label": data.label,
        "start_date": data.start_date.isoformat(),
        "end_date": data.end_date.isoformat() if data.end_date else "",
        "jurisdiction_id": ids.jurisdiction,
        "extras": {
            "seat": data.seat,
            "start_reason": data.start_reason,
            "end_reason": data.end_reason,
        },
    }


def _agenda_item(item: ItemData, ids: Ids) -> dict[str, Any]:
    related: list[dict[str, Any]] = []
    if item.matter_id is not None:
        related.append(
            {
                "entity_type": "bill",
                "name": item.file_number or item.title,
                "bill_id": ids.of("bill", item.matter_id),
                "note": "consideration",
            }
        )
    related.extend(
        {
            "entity_type": "vote_event",
            "name": identifier,
            "vote_event_id": ids.of("vote_event", vote_id),
            "note": "consideration",
        }
        for vote_id, identifier in item.vote_ids
    )
    return {
        "order": item.number,
        "description": item.title,
        "classification": ["consent"] if item.is_consent else [],
        "subjects": [item.section],
        "notes": [n for n in (item.description, item.disposition or "") if n],
        "related_entities": related,
        "media": [
            {
                "name": a.note,
                "type": "document",
                "date": "",
                "offset": None,
                "links": [{"url": a.url, "media_type": a.media_type}],
            }
            for a in item.attachments
        ],
        "extras": {"agenda_item_id": item.id, "section": item.section},
    }


def event(data: EventData, ids: Ids) -> dict[str, Any]:
    """Return a meeting as an OCD event with its agenda, documents and host body."""
    return {
        "_type": "event",
        "id": ids.of("event", data.id),
        "name": f"{data.body_name}: {data.meeting_type.capitalize()} meeting",
        "all_day": False,
        "start_date": local_iso(data.start, data.timezone),
        "end_date": local_iso(data.end, data.timezone) if data.end else "",
        "timezone": data.timezone,
        "status": EVENT_STATUSES.get(data.status, "tentative"),
        "classification": data.meeting_type,
        "description": data.notes,
        "location": {"name": data.location, "note": "", "url": None, "coordinates": None}
        if data.location
        else None,
        "participants": [
            {
                "name": data.body_name,
                "entity_type": "organization",
                "organization_id": ids.of("organization", data.body_id),
                "note": "host",
            }
        ],
        "media": [],
        "documents": [_document(link) for link in data.documents],
        "links": [{"url": data.url, "note": "The meeting's page"}],
        "agenda": [_agenda_item(item, ids) for item in data.items],
        "sources": _source(data.url),
        "extras": {"status": data.status},
    }


def bill(data: BillData, ids: Ids) -> dict[str, Any]:
    """Return a matter as an OCD bill: sponsors, every action of its history, its documents."""
    organization_id = ids.of("organization", data.body_id)
    return {
        "_type": "bill",
        "id": ids.of("bill", data.id),
        "identifier": data.identifier,
        "legislative_session": data.session,
        "title": data.title,
        "from_organization": organization_id,
        "classification": [BILL_CLASSIFICATIONS.get(data.matter_type, "bill")],
        "subject": [],
        "abstracts": [],
        "other_titles": [],
        "other_identifiers": [],
        "sponsorships": [
            {
                "name": s.name,
                "entity_type": "person",
                "person_id": ids.of("person", s.person_id),
                "organization_id": None,
                "primary": s.primary,
                "classification": "primary" if s.primary else "cosponsor",
            }
            for s in data.sponsors
        ],
        "actions": [
            {
                "date": local_iso(a.at, data.timezone),
                "description": a.description,
                "classification": ACTION_CLASSIFICATIONS.get(a.action, []),
                "organization": organization_id,
                "related_entities": [],
            }
            for a in data.actions
        ],
        "related_bills": [],
        "versions": [],
        "documents": [_document(link) for link in data.documents],
        "sources": _source(data.url),
        "extras": {"matter_type": data.matter_type, "status": data.status},
    }


def _motion_classification(kind: str, has_bill: bool) -> list[str]:
    if kind == "main":
        return ["bill-passage"] if has_bill else ["passage"]
    if kind in ("amendment", "substitute"):
        return ["amendment-passage"]
    return [kind]


def vote_event(data: VoteData, ids: Ids) -> dict[str, Any]:
    """Return a roll call as an OCD vote event: counts per option and every member's vote."""
    votes = [
        {
            "option": option_of(b.value, b.is_excused),
            "voter_name": b.name,
            "voter_id": ids.of("person", b.person_id),
            "note": b.reason or "",
        }
        for b in data.ballots
    ]
    counts = [
        {"option": option, "value": sum(v["option"] == option for v in votes)} for option in OPTIONS
    ]
    return {
        "_type": "vote_event",
        "id": ids.of("vote_event", data.id),
        "identifier": data.identifier,
        "motion_text": data.motion_text,
        "motion_classification": _motion_classification(
            data.motion_kind, data.matter_id is not None
        ),
        "start_date": local_iso(data.recorded_at, data.timezone),
        "end_date": "",
        "result": "pass" if data.result == "passed" else "fail",
        "organization": ids.of("organization", data.body_id),
        "legislative_session": str(data.recorded_at.astimezone(ZoneInfo(data.timezone)).year),
        "bill": ids.of("bill", data.matter_id) if data.matter_id is not None else None,
        "bill_action": None,
        "counts": counts,
        "votes": votes,
        "sources": _source(data.url),
        "extras": {
            "tally": data.tally,
            "required": data.required,
            "method": data.method,
            "explanation": data.explanation,
        },
    }
