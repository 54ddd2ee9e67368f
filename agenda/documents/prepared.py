"""Work an action does ahead, outside its writing transaction, and finds again inside it.

Publishing renders an agenda and merges a packet, which takes seconds. The screens do that
first, while the request only reads (`agenda.web.answer`'s `prepare`), then run the
operation in a short writing transaction that finds the documents already made, as long as
what they are made from has not changed meanwhile (the key is their whole input). Nothing is
kept beyond the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import g, has_request_context

T = TypeVar("T")


def ahead(kind: str, inputs: Iterable[str | bytes], make: Callable[[], T]) -> T:
    """Return what `make` gives for these inputs, made once per request."""
    if not has_request_context():
        return make()
    key = hashlib.sha256(kind.encode())
    for part in inputs:
        data = part.encode() if isinstance(part, str) else part
        key.update(len(data).to_bytes(8, "big"))
        key.update(data)
    made: dict[str, object] = g.setdefault("agenda_ahead", {})
    digest = key.hexdigest()
    if digest not in made:
        made[digest] = make()
    return made[digest]  # type: ignore[return-value]
