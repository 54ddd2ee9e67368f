"""What the write routes share: their input's base, records by id, uploads, and refusals named
after the API's fields; the answers a write gives beyond the read API's models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Optional, TypeVar

from flask import g, request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from werkzeug.datastructures import FileStorage

from agenda.api import core
from agenda.api.schemas import AttendanceOut, ItemOut, MeetingOut, Schema, VoteEventOut
from agenda.auth.rules import PUBLIC
from agenda.bodies.models import Body
from agenda.db import utcnow
from agenda.errors import Refused
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.matters.queries import matter_is_visible
from agenda.meetings.models import Meeting
from agenda.meetings.queries import is_visible

R = TypeVar("R")


# The largest id every database holds: ids are INTEGER, 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1
# An id a body names: a larger number names nothing and would fail in PostgreSQL.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(BaseModel):
    """Base of every write's body: a field this API does not know is refused, not ignored.

    Text holding a NUL character is refused too: it is not text, and PostgreSQL stores none.
    """

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _holds_nul(data):
            raise ValueError("Text may not hold a NUL character (\\0); remove it and send again.")
        return data


def _holds_nul(data: Any) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in data.items())
    if isinstance(data, list):
        return any(_holds_nul(v) for v in data)
    return False


def _local(value: Optional[dt.time]) -> Optional[dt.time]:
    if value is not None and value.tzinfo is not None:
        raise ValueError("Give the meeting's local clock time, like 18:15, without a zone.")
    return value


# A clock time in the meeting's time zone, as the clerk's screens take it.
LocalTime = Annotated[Optional[dt.time], AfterValidator(_local)]


def record(model: type[R], ident: int) -> R:
    """Return the row with this id, or answer 404 (its body's access is checked after)."""
    if not 1 <= ident <= MAX_ID:
        raise core.not_found()
    return core.found(model, ident)


def body_named(body_id: int) -> Body:
    """Return the body a new record names; refuse an unknown id beside its field (422)."""
    body = db.session.get(Body, body_id)
    if body is None:
        message = f"No body has the id {body_id}."
        raise core.ApiProblem(422, message, {"body_id": [message]})
    core.require_writable(body.id, is_public=True)  # another body's is refused (403)
    return body


def moment() -> dt.datetime:
    """Return the time this request acts at: the same ahead of the write and in it."""
    if "api_now" not in g:
        g.api_now = utcnow()
    return g.api_now


def uploaded() -> FileStorage | None:
    """Return the request's `file` part, if it sent one."""
    upload = request.files.get("file")
    return upload if upload else None  # a part without a file name is no file (as a form's)


def upload_bytes() -> tuple[bytes, str]:
    """Return the uploaded file's bytes and name; refuse a request without one (422)."""
    upload = uploaded()
    if upload is None:
        raise core.ApiProblem(
            422, "Choose a PDF file to upload.", {"file": ["Choose a PDF file to upload."]}
        )
    data = upload.read()
    upload.seek(0)
    return data, upload.filename or "document.pdf"


def writable_meeting(meeting: Meeting) -> None:
    """Refuse a write to a meeting (or its agenda, motions, votes) the token may not change."""
    core.require_writable(meeting.body_id, is_public=is_visible(meeting, PUBLIC))


def writable_matter(matter: Matter) -> None:
    """Refuse a write to legislation the token may not change."""
    core.require_writable(matter.body_id, is_public=matter_is_visible(matter.id, PUBLIC))


@contextmanager
def named(**names: str) -> Iterator[None]:
    """Name an operation's refusal after this API's field: `matter="matter_id"`; the key
    `none` names the field of a refusal that gives none (an upload's refusal is its file's)."""
    try:
        yield
    except Refused as refusal:
        key = refusal.field or "none"
        if key in names:
            refusal.field = names[key]
        raise


# ---------------------------------------------------------------------------------------------
# Answers of writes that say more than the record read back


class PublishedOut(MeetingOut):
    """The meeting as published, and the notice warnings the clerk's screen shows."""

    warnings: list[str] = Field(
        default_factory=list,
        description="Short notice or missing statements: warnings, never a refusal.",
    )


class AttendanceTaken(Schema):
    """Everyone's attendance as recorded."""

    meeting_id: int
    present: int = Field(description="Members in the room (or remote) now.")
    seated: int = Field(description="Members seated on the meeting's date.")
    attendance: list[AttendanceOut]


class RollCallOut(VoteEventOut):
    """The roll call as recorded, and what followed it."""

    followed: str = Field(
        description="Items adopted on the consent agenda, the item's disposition, or a tie that "
        "continues it; empty when nothing followed."
    )
    item_disposition: Optional[str] = Field(description="The item's disposition after the vote.")


class DisposedOut(ItemOut):
    """The item with its disposition; a continued item's new place on the later agenda."""

    continued_item_id: Optional[int] = Field(
        description="The item created on the later meeting's agenda, when continued."
    )


def extended(model: type[Any], base: BaseModel, **extra: Any) -> Any:
    """Return `model` (a subclass of `base`'s) with `base`'s fields and `extra`."""
    return model(**{name: getattr(base, name) for name in type(base).model_fields}, **extra)
