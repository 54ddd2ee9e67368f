"""What the API answers, as pydantic models: the OpenAPI document's schemas come from these.

The vocabulary follows Open Civic Data and Popolo where they have a word: an organization's
memberships, an event's agenda, a bill's actions and sponsorships, a vote event's counts per
option and its votes. Every record also carries `html_url`, its page on the public site.
Times are ISO 8601 in UTC; dates are local calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Generic, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Schema(BaseModel):
    """Base of every answer: fields are exactly those declared."""

    model_config = ConfigDict(extra="forbid")


class Problem(Schema):
    code: int = Field(description="The HTTP status.")
    title: str
    message: str = Field(description="What was wrong, in words for a person.")
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by the field (or parameter) they concern."
    )


class ErrorBody(Schema):
    """Every refusal: 4xx with this body."""

    error: Problem


class Page(Schema, Generic[T]):
    """One page of a list; `next` is the address of the following page, null on the last."""

    results: list[T]
    next: Optional[str] = Field(description="The next page's address, or null on the last.")


# ---------------------------------------------------------------------------------------------
# Vote options (OCD): every ballot's value as the civic-tech community names it.


class VoteOption(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"
    EXCUSED = "excused"
    NOT_VOTING = "not voting"


class Count(Schema):
    option: VoteOption
    value: int


class BallotOut(Schema):
    """One member's vote (OCD `votes[]`): the option, and this system's own value."""

    option: VoteOption
    value: str = Field(description="As recorded: yes, no, abstain, recused or absent.")
    voter_id: int
    voter_name: str
    note: str = Field("", description="A recusal's stated conflict; why an absence was excused.")


class VoteEventOut(Schema):
    """A roll call on a motion (OCD vote event)."""

    id: int
    motion_id: int
    motion_text: str
    identifier: str = Field(description="The motion's number on its item, such as 'Motion 1'.")
    result: str = Field(description="pass or fail (OCD), as the body's rule decided.")
    tally: str = Field(description="Yes-no, such as '6-1'.")
    required: int = Field(description="Yes votes the motion needed.")
    method: str = Field(description="roll_call or unanimous_consent.")
    explanation: str = Field(description="How the rule decided it, as printed in the minutes.")
    recorded_at: datetime
    counts: list[Count]
    votes: list[BallotOut]
    html_url: str


class MotionOut(Schema):
    id: int
    position: int
    kind: str = Field(description="main, amendment, substitute, table, continue, reconsider...")
    text: str
    mover_id: Optional[int] = Field(description="Null when the record names no mover (imported).")
    mover_name: Optional[str]
    seconder_id: Optional[int]
    seconder_name: Optional[str]
    threshold: str
    ending: Optional[str] = Field(description="withdrawn, voided or died, if it ended so.")
    votes: list[VoteEventOut]


class AttachmentOut(Schema):
    id: int
    title: str
    filename: str
    media_type: str = "application/pdf"
    page_count: int
    sha256: str
    url: str = Field(description="The document itself.")


class ItemOut(Schema):
    """An agenda item (OCD event agenda item), with its motions and their votes."""

    id: int
    number: str = Field(description="As printed on the agenda, such as '7.b'.")
    section: str
    is_consent: bool
    position: int
    title: str
    description: str
    matter_id: Optional[int]
    matter_identifier: Optional[str] = Field(description="The matter's file number.")
    disposition: Optional[str]
    attachments: list[AttachmentOut]
    motions: list[MotionOut]


class AttendanceOut(Schema):
    person_id: int
    name: str
    status: str = Field(
        description="present or absent, as recorded; arrived_at and left_at tell a late arrival"
        " or an early departure."
    )
    is_remote: bool
    is_excused: bool
    arrived_at: Optional[datetime]
    left_at: Optional[datetime]


class DocumentLinks(Schema):
    agenda: Optional[str]
    packet: Optional[str]
    minutes: Optional[str]


class MeetingOut(Schema):
    """A meeting (OCD event), as lists show it."""

    id: int
    body_id: int
    body_name: str
    name: str
    classification: str = Field(description="regular, special, workshop or emergency.")
    status: str = Field(description="draft, published, in_progress, adjourned or cancelled.")
    start_time: datetime
    timezone: str
    location: str
    published_at: Optional[datetime]
    updated_at: datetime
    documents: DocumentLinks
    url: str
    html_url: str


class MinutesOut(Schema):
    meeting_id: int
    status: str = Field(description="draft, approved or published.")
    revision: int
    approved_at: Optional[datetime]
    approved_by_motion_id: Optional[int]
    record_sha256: Optional[str]
    pdf: Optional[str]
    html_url: str


class MeetingDetail(MeetingOut):
    """A meeting with its whole agenda, attendance, motions, votes with ballots, and minutes."""

    cancelled_reason: Optional[str]
    called_to_order_at: Optional[datetime]
    adjourned_at: Optional[datetime]
    attendance: list[AttendanceOut]
    items: list[ItemOut]
    minutes: Optional[MinutesOut]


class MembershipOut(Schema):
    """A term on a seat (Popolo membership)."""

    id: int
    person_id: int
    person_name: str
    organization_id: int
    organization_name: str
    seat: int
    label: str = Field(description="The seat's title: Mayor, Commissioner, District 3.")
    start_date: date
    end_date: Optional[date]
    start_reason: str
    end_reason: Optional[str]


class PersonOut(Schema):
    id: int
    name: str
    memberships: list[MembershipOut]
    url: str
    html_url: str


class BodyOut(Schema):
    """A body (OCD organization) with its seats and voting rules."""

    id: int
    name: str
    slug: str
    classification: str
    seats: int
    timezone: str
    quorum_rule: str
    abstention_policy: str
    rules_citation: str
    url: str
    html_url: str


class BodyDetail(BodyOut):
    memberships: list[MembershipOut] = Field(description="Current and past terms.")


class SponsorOut(Schema):
    person_id: int
    name: str
    primary: bool


class ActionOut(Schema):
    """A step in a matter's history (OCD bill action)."""

    id: int
    date: datetime
    action: str
    description: str
    meeting_id: Optional[int]
    agenda_item_id: Optional[int]
    motion_id: Optional[int]


class MatterOut(Schema):
    """A piece of legislation (OCD bill), as lists show it."""

    id: int
    identifier: str = Field(description="The file number, such as 'Resolution 25-214'.")
    title: str
    classification: str = Field(description="resolution, ordinance, proclamation or report.")
    status: str
    body_id: int
    sponsors: list[SponsorOut]
    created_at: datetime
    updated_at: datetime
    url: str
    html_url: str


class MatterDetail(MatterOut):
    text: str
    attachments: list[AttachmentOut]
    actions: list[ActionOut]
    votes: list[VoteEventOut]


class Root(Schema):
    """Where everything is."""

    name: str
    openapi: str
    docs: str
    bodies: str
    people: str
    meetings: str
    matters: str
    bulk: str
