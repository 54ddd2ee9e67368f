"""What the votes area tells the areas above it (blinker signals)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

ballots_recorded = _signals.signal(
    "ballots-recorded",
    doc="""A roll call was recorded or one of its ballots corrected.

    Sender: the Vote (its ballots stored); keyword `meeting`: the Meeting it was taken at.
    The minutes area opens the conflict disclosures that recusals call for.
    """,
)

item_disposed = _signals.signal(
    "item-disposed",
    doc="""An agenda item's disposition was recorded (adopted, failed, continued...).

    Sender: the AgendaItem; keywords `motion` (the deciding Motion or None) and `actor`.
    The minutes area approves the minutes an adopted approval item takes up.
    """,
)
