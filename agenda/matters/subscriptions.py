"""What the matters area does when the meetings area below it reports a change."""

from __future__ import annotations

from typing import Any

from agenda.matters.operations import record_placement
from agenda.meetings.models import AgendaItem
from agenda.meetings.signals import item_placed


def _placed(item: AgendaItem, **kwargs: Any) -> None:
    record_placement(item, actor=kwargs.get("actor"))


def connect() -> None:
    """Subscribe this area to the signals of the areas below it (safe to call again)."""
    item_placed.connect(_placed)
