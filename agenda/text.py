"""Text for people: shortened titles and counted nouns, the same way everywhere."""

from __future__ import annotations

ELLIPSIS = "\u2026"


def shorten(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters, marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def plural(count: int, word: str, words: str | None = None) -> str:
    """Return a count with its noun: 1 page, 2 pages (or the plural given)."""
    return f"{count} {word if count == 1 else words or word + 's'}"
