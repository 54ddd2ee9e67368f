"""Writes on legislation: file a matter and attach its documents, as the clerk's legislation
screens do (agenda/matters/manage.py), through the same operations."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from agenda.api import core
from agenda.api.convert import api_url, attachment_out, matter_out
from agenda.api.schemas import AttachmentOut, MatterOut
from agenda.api.writing import (
    Id,
    Input,
    body_named,
    named,
    record,
    upload_bytes,
    uploaded,
    writable_matter,
)
from agenda.documents.operations import check_upload_ahead
from agenda.matters.models import Matter
from agenda.matters.operations import attach_to_matter, file_matter
from agenda.matters.rules import MatterType

TAG = "matters"


class NewMatter(Input):
    body_id: Id = Field(description="The body the legislation goes before.")
    classification: MatterType = Field(description="resolution, ordinance, proclamation or report.")
    title: str = ""
    text: str = Field("", description="The full text, in Markdown.")
    sponsor_ids: list[Id] = Field(
        default_factory=list, description="Members of the body seated today, first the primary."
    )


@core.write("/matters", body=NewMatter, response=MatterOut, tag=TAG)
def matter_create(body: NewMatter) -> core.Written:
    """File a matter.

    It is numbered on filing in its type and the body's local year, like 'Resolution 26-12'.
    """
    found = body_named(body.body_id)
    with named(sponsors="sponsor_ids"):
        matter = file_matter(
            found, matter_type=body.classification, title=body.title, text=body.text,
            sponsor_ids=body.sponsor_ids, actor=core.actor(),
        )  # fmt: skip
    return core.Written(matter_out(matter), location=api_url(f"matters/{matter.id}"))


class NewMatterAttachment(Input):
    title: str = Field("", max_length=300, description="Shown in the packet; empty: file name.")


def _check_upload(body: Any, matter_id: int) -> None:
    writable_matter(record(Matter, matter_id))
    check_upload_ahead(uploaded())


@core.write(
    "/matters/<int:matter_id>/attachments", body=NewMatterAttachment, response=AttachmentOut,
    tag=TAG, multipart=True, prepare=_check_upload,
)  # fmt: skip
def matter_attach(body: NewMatterAttachment, matter_id: int) -> core.Written:
    """Attach a PDF to a matter.

    Sent as multipart/form-data (`file`, `title`); the file is checked by its content. Open
    agendas the matter is on are amended, their packets then carry it.
    """
    matter = record(Matter, matter_id)
    writable_matter(matter)
    data, filename = upload_bytes()
    with named(none="file"):
        attachment = attach_to_matter(
            matter, data, filename=filename, title=body.title, actor=core.actor()
        )
    return core.Written(attachment_out(attachment), location=api_url(f"matters/{matter_id}"))
