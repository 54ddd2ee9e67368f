"""Field helpers that every area's WTForms classes share: trimming, ids, ranges, messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from wtforms import Field, ValidationError


def strip(value: str | None) -> str | None:
    """Trim surrounding spaces from submitted text."""
    return value.strip() if isinstance(value, str) else value


def optional_id(value: object) -> int | None:
    """Turn a select's value into an id, or None for the empty choice."""
    return int(str(value)) if value not in (None, "", "None") else None


def from_list(what: str) -> dict[str, str]:
    """Return a select's messages for a value that is not one of its choices."""
    message = f"Choose {what}."
    return {"invalid_value_message": message, "invalid_choice_message": message}


def within_years(first: int, last: int) -> Callable[[Any, Field], None]:
    """Return a validator refusing a date outside the years `first` to `last`, beside its field."""

    def check(form: Any, field: Field) -> None:
        day = field.data
        if isinstance(day, date) and not first <= day.year <= last:
            raise ValidationError(f"Choose a date from {first} to {last}.")

    return check
