"""Guards against out-of-range input: ids no column holds, NUL bytes, numbers beyond an id."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from agenda.portal.errors import error_page

# The largest id every database holds: ids are INTEGER, 32 bits on PostgreSQL (SQLite has 64).
MAX_ID = 2**31 - 1
NUL = "\x00"


class BoundedInt(IntegerConverter):
    """Werkzeug's `int` converter, refusing (404) ids beyond what an id column holds."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _has_nul(values: MultiDict[str, Any]) -> bool:
    return any(NUL in key or (isinstance(v, str) and NUL in v) for key, v in values.items(True))


def _too_large(value: str) -> bool:
    # What `int()` (and so `request.args.get(..., type=int)`) reads: signs, "_", any decimal.
    digits = value.strip().lstrip("+-").replace("_", "").lstrip("0")
    return digits.isdecimal() and (len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID)


def refuse_out_of_range() -> Response | tuple[Response | str, int] | None:
    """Answer 400 before a view runs when the request holds what no column can store.

    PostgreSQL refuses NUL in text and integers beyond a column (SQLite beyond 64 bits), so
    such a request would fail deep in a view with a 500; nothing reaches the database.
    """
    uploads = request.files.values() if request.method == "POST" else ()
    form = request.form if request.method == "POST" else MultiDict()
    if (
        NUL in request.path
        or _has_nul(request.args)
        or _has_nul(form)
        or any(NUL in (f.filename or "") for f in uploads)
    ):
        return error_page(
            400,
            "Invalid character",
            "The form or the address held a NUL character (\\0), which is not text. "
            "Nothing was saved. Remove it (it often comes from pasting) and try again.",
        )
    if any(_too_large(v) for v in request.args.values()):
        return error_page(
            400,
            "Number out of range",
            "A number in the address is too large. Nothing was changed; check the link.",
        )
    return None


def register(app: Flask) -> None:
    """Install the bounded `int` converter (before any route is added) and the request guard."""
    app.url_map.converters["int"] = BoundedInt
    app.before_request(refuse_out_of_range)
