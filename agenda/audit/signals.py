"""What the audit area asks the areas above it (blinker signals)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

record_checks = _signals.signal(
    "record-checks",
    doc="""Ask each area for its checks of the record, for `flask verify`.

    Sender: None. A receiver returns a `agenda.audit.verify.Check`: what it checked, how
    many, and an iterator of the places where the stored record no longer matches.
    """,
)

record_facts = _signals.signal(
    "record-facts",
    doc="""Ask each area for the current state of its facts, read from the tables.

    Sender: None. A receiver returns a `agenda.audit.verify.FactSource`: what the facts are
    ("roll calls"), their states by fact key (as the area passes them to record_event), and
    the names of the people they mention, for the messages.
    """,
)
