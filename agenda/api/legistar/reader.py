"""Read a directory of Legistar Web API answers: one JSON array per endpoint (README: Import
from Legistar).

| file | endpoint | rows link by |
| --- | --- | --- |
| Bodies.json | /Bodies | BodyId |
| Persons.json | /Persons | PersonId |
| OfficeRecords.json | /OfficeRecords | OfficeRecordPersonId, OfficeRecordBodyId |
| Matters.json | /Matters | MatterId, MatterBodyId |
| MatterHistories.json | /Matters/{id}/Histories | MatterHistoryMatterId (or MatterId) |
| MatterSponsors.json | /Matters/{id}/Sponsors | MatterSponsorMatterId |
| MatterAttachments.json | /Matters/{id}/Attachments | MatterAttachmentMatterId (or MatterId) |
| Events.json | /Events | EventId, EventBodyId |
| EventItems.json | /Events/{id}/EventItems | EventItemEventId |
| Votes.json | /EventItems/{id}/Votes | VoteEventItemId |
| RollCalls.json | /EventItems/{id}/RollCalls | RollCallEventItemId |

Legistar's per-matter answers (histories, attachments) do not name their matter; whoever
saves them adds the matter's id as `MatterHistoryMatterId` / `MatterAttachmentMatterId` (or
`MatterId`). A missing file is an endpoint with no rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agenda.errors import Refused

Row = dict[str, Any]

FILES = {
    "bodies": "Bodies.json",
    "persons": "Persons.json",
    "office_records": "OfficeRecords.json",
    "matters": "Matters.json",
    "histories": "MatterHistories.json",
    "sponsors": "MatterSponsors.json",
    "attachments": "MatterAttachments.json",
    "events": "Events.json",
    "event_items": "EventItems.json",
    "votes": "Votes.json",
    "roll_calls": "RollCalls.json",
}


@dataclass
class LegistarData:
    """Every endpoint's rows, as the files hold them."""

    bodies: list[Row] = field(default_factory=list)
    persons: list[Row] = field(default_factory=list)
    office_records: list[Row] = field(default_factory=list)
    matters: list[Row] = field(default_factory=list)
    histories: list[Row] = field(default_factory=list)
    sponsors: list[Row] = field(default_factory=list)
    attachments: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    event_items: list[Row] = field(default_factory=list)
    votes: list[Row] = field(default_factory=list)
    roll_calls: list[Row] = field(default_factory=list)


def read_directory(folder: Path) -> LegistarData:
    """Read every endpoint's file in `folder`; refuse a file that is not a JSON array of objects."""
    if not folder.is_dir():
        raise Refused(f"{folder} is not a directory.")
    if not any((folder / name).exists() for name in FILES.values()):
        raise Refused(f"{folder} holds none of {', '.join(FILES.values())}.")
    data = LegistarData()
    for attribute, name in FILES.items():
        path = folder / name
        if not path.exists():
            continue
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise Refused(f"{name} is not JSON: {error}.") from None
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise Refused(f"{name} must hold a JSON array of objects, as Legistar answers.")
        setattr(data, attribute, rows)
    return data


def matter_of(row: Row, prefix: str) -> Any:
    """Return the Legistar matter id a per-matter row was saved with."""
    return row.get(f"{prefix}MatterId", row.get("MatterId"))
