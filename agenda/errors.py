"""The one refusal type: an action the rules refuse, with messages for the person and a field."""

from __future__ import annotations

from typing import ClassVar


class Refused(Exception):
    """An action the rules refuse; nothing is saved.

    `messages` are for the person at the keyboard; `field` names the form field they concern,
    if any. A screen answers 422 (or `status`) and shows each message beside its field.
    """

    status: ClassVar[int] = 422

    def __init__(self, *messages: str, field: str | None = None) -> None:
        if not messages:
            raise ValueError("A refusal says why")
        self.messages = tuple(messages)
        self.field = field
        super().__init__(" ".join(messages))


class Conflict(Refused):
    """A refusal because the record changed meanwhile (another clerk, a repeated submit)."""

    status: ClassVar[int] = 409
