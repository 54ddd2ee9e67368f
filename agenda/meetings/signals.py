"""What the meetings area tells the areas above it, and what it asks them (blinker signals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from blinker import Namespace

if TYPE_CHECKING:
    from agenda.auth.models import User
    from agenda.meetings.models import Meeting

_signals = Namespace()

item_placed = _signals.signal(
    "item-placed",
    doc="""An agenda item now carries legislation: added with it, or given it by an edit.

    Sender: the AgendaItem (its `matter` is set); keyword `actor`: the User or None.
    The matters area records the placement in the matter's history.
    """,
)

record_frozen = _signals.signal(
    "record-frozen",
    doc="""Ask whether a meeting's record (attendance, motions, votes) is frozen.

    Sender: the meeting's id. A receiver returns True when it is frozen: the minutes area
    freezes the record once minutes are approved.
    """,
)

approvable_minutes = _signals.signal(
    "approvable-minutes",
    doc="""Ask which earlier meetings' minutes an item of this meeting may take up for approval.

    Sender: the Meeting whose agenda gets the item. A receiver returns the ids of meetings
    whose minutes are drafted and not yet approved: the minutes area knows which.
    """,
)

public_minutes = _signals.signal(
    "public-minutes",
    doc="""Ask which of these meetings have minutes the public may read.

    Sender: a frozenset of meeting ids. A receiver returns the ids among them whose minutes
    are approved: the minutes area knows which.
    """,
)

agenda_opened = _signals.signal(
    "agenda-opened",
    doc="""A signed-in user opened a meeting's page, agenda or packet.

    Sender: the Meeting; keywords `user` (the User) and `revision_number` (its newest
    published revision, 0 before publication). A receiver returns True when it wrote
    something: the members area remembers what a commissioner last opened. Page views only
    read, so a receiver writes and commits in a transaction of its own (`extensions.apart`).
    """,
)


def report_opened(meeting: Meeting, user: User | None) -> bool:
    """Tell the areas above that a signed-in user opened the meeting; True if one wrote."""
    if user is None:
        return False
    number = meeting.revisions[-1].number if meeting.revisions else 0
    return any(wrote for _, wrote in agenda_opened.send(meeting, user=user, revision_number=number))


def is_record_frozen(meeting_id: int) -> bool:
    """Tell whether any area holds this meeting's record frozen (approved minutes)."""
    return any(frozen for _, frozen in record_frozen.send(meeting_id))


def approvable_minutes_of(meeting: Meeting) -> set[int]:
    """Return the ids of the meetings whose minutes an item of `meeting` may take up."""
    return {mid for _, ids in approvable_minutes.send(meeting) for mid in ids}


def with_public_minutes(meeting_ids: frozenset[int]) -> set[int]:
    """Return the ids among `meeting_ids` whose minutes the public may read (one query)."""
    if not meeting_ids:
        return set()
    return {mid for _, ids in public_minutes.send(meeting_ids) for mid in ids}
