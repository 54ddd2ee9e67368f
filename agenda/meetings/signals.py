"""What the meetings area tells the areas above it, and what it asks them (blinker signals)."""

from __future__ import annotations

from blinker import Namespace

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


def is_record_frozen(meeting_id: int) -> bool:
    """Tell whether any area holds this meeting's record frozen (approved minutes)."""
    return any(frozen for _, frozen in record_frozen.send(meeting_id))
