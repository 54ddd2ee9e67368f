"""Field helpers that every area's WTForms classes share: trimming, optional ids, messages."""

from __future__ import annotations


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
