"""Forms of the live console: motions, dispositions, corrections, attendance, roll calls."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from agenda.bodies.queries import member_label
from agenda.forms import from_list, optional_id, strip
from agenda.meetings.display import DISPOSITION_LABELS, meeting_time_label
from agenda.meetings.rules import TEXT_MAX, Disposition
from agenda.text import shorten
from agenda.votes.display import VALUE_LABELS
from agenda.votes.rules import (
    CHARTER_RULES,
    COMMON_THRESHOLDS,
    Ballot,
    BallotValue,
    MotionEnding,
    MotionKind,
    Presence,
    decides_item,
    is_threshold,
    item_outcome,
    threshold_label,
)

if TYPE_CHECKING:
    from agenda.bodies.models import Membership
    from agenda.meetings.models import Meeting
    from agenda.votes.models import Motion, Vote

KIND_LABELS = {
    MotionKind.MAIN: "Main motion",
    MotionKind.AMENDMENT: "Amendment",
    MotionKind.SUBSTITUTE: "Substitute",
    MotionKind.TABLE: "Table",
    MotionKind.CONTINUE: "Continue to a later meeting (postpone to a date)",
    MotionKind.RECONSIDER: "Reconsider",
    MotionKind.APPEAL: "Appeal from the chair's ruling (yes sustains the chair; a tie sustains it)",
}
# How much of a motion's text a select option shows.
CHOICE_TEXT_MAX = 70
# The values a clerk records for a member who is present.
CAST_VALUES = (BallotValue.YES, BallotValue.NO, BallotValue.ABSTAIN, BallotValue.RECUSED)
# The presiding officer who votes only on a tie, or never, may also be recorded not voting.
PRESIDING_VALUES = (*CAST_VALUES, BallotValue.NOT_VOTING)
# How a member who is not present reads beside the roll call.
PRESENCE_LABELS = {
    Presence.ABSENT: "absent",
    Presence.EXCUSED: "absent (excused)",
    Presence.LEFT_UNEXCUSED: "left without being excused",
    Presence.IN_PERSON: "present",
    Presence.REMOTE: "present (remote)",
}
# An id has at most 10 digits (a 32-bit column); longer names are no member's field.
FIELD_KEY = re.compile(r"^(vote|reason|excused)-([0-9]{1,10})$")
# What a member may state as a conflict or an abstention's reason, as a correction allows.
REASON_MAX = 2000
VALUES = frozenset(v.value for v in BallotValue)


def optional_threshold(value: object) -> str | None:
    """Turn the threshold select's value into a threshold code, or None for the default."""
    if value in (None, "", "None"):
        return None
    if not is_threshold(str(value)):
        raise ValueError("Not a threshold")
    return str(value)


class MotionForm(FlaskForm):
    text = TextAreaField(
        "Text of the motion",
        validators=[
            Length(max=TEXT_MAX, message=f"Keep the motion under {TEXT_MAX:,} characters."),
        ],
        filters=[strip],
    )
    kind = SelectField(
        "Kind of motion",
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        coerce=MotionKind,
        **from_list("a kind of motion from the list"),
    )
    mover = SelectField(
        "Moved by",
        coerce=optional_id,
        validators=[InputRequired("Choose the member who moved it.")],
        **from_list("a member who is present"),
    )
    seconder = SelectField("Seconded by", coerce=optional_id, **from_list("a member present"))
    threshold = SelectField(
        "Votes required", coerce=optional_threshold, **from_list("a threshold from the list")
    )
    parent = SelectField(
        "Motion it amends, substitutes or reconsiders",
        coerce=optional_id,
        **from_list("a motion on this item"),
    )
    continued_to = SelectField(
        "Continue to the meeting of", coerce=optional_id, **from_list("a later meeting")
    )


class DispositionForm(FlaskForm):
    disposition = SelectField(
        "Disposition",
        choices=[SelectChoice(d.value, label) for d, label in DISPOSITION_LABELS.items()],
        coerce=Disposition,
        **from_list("a disposition from the list"),
    )
    continued_to = SelectField(
        "Continued to (for a continued item)", coerce=optional_id, **from_list("a later meeting")
    )
    motion = SelectField("Deciding motion", coerce=optional_id, **from_list("a voted motion"))


class ConsentForm(FlaskForm):
    mover = SelectField(
        "Moved by",
        coerce=optional_id,
        validators=[InputRequired("Choose the member who moved it.")],
        **from_list("a member who is present"),
    )
    seconder = SelectField("Seconded by", coerce=optional_id, **from_list("a member present"))


class PullForm(FlaskForm):
    item = SelectField(
        "Item to pull",
        coerce=optional_id,
        validators=[InputRequired("Choose the item to pull.")],
        **from_list("an item on the consent agenda"),
    )
    note = StringField(
        "At whose request, or why (optional)",
        validators=[Length(max=500, message="Keep the note under 500 characters.")],
        filters=[strip],
    )


def _offer_members(
    form: MotionForm | ConsentForm, seated: Iterable[Membership], present: frozenset[int]
) -> None:
    """Offer the members present as the mover and the seconder."""
    members = [
        SelectChoice(str(m.person_id), member_label(m)) for m in seated if m.person_id in present
    ]
    form.mover.choices = [SelectChoice("", "Choose the mover"), *members]
    form.seconder.choices = [SelectChoice("", "No second"), *members]


def consent_form(
    seated: Iterable[Membership], present: frozenset[int], **kwargs: Any
) -> ConsentForm:
    """Return the form to move the consent agenda; mover and seconder among those present."""
    form = ConsentForm(prefix="consent", **kwargs)
    _offer_members(form, seated, present)
    return form


def pull_form(left: Iterable[tuple[int, str]], **kwargs: Any) -> PullForm:
    """Return the form to pull one of the items left on the consent agenda."""
    form = PullForm(prefix="pull", **kwargs)
    form.item.choices = [SelectChoice("", "Choose an item"), *(
        SelectChoice(str(item_id), shorten(label, CHOICE_TEXT_MAX)) for item_id, label in left
    )]  # fmt: skip
    return form


def _reason(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Length(max=TEXT_MAX, message=f"Keep the reason under {TEXT_MAX:,} characters.")
        ],
        filters=[strip],
    )


class CallForm(FlaskForm):
    early_reason = _reason("Reason for calling to order before the meeting's date")


class ReopenForm(FlaskForm):
    reason = _reason("Reason for reopening the meeting")


class AdjournForm(FlaskForm):
    confirm = BooleanField("Adjourn all the same, leaving these open")


class EndMotionForm(FlaskForm):
    ending = SelectField(
        "How the motion ends",
        choices=[
            SelectChoice(MotionEnding.WITHDRAWN.value, "Withdrawn by its mover"),
            SelectChoice(MotionEnding.VOIDED.value, "Voided by the clerk (recorded in error)"),
        ],
        coerce=MotionEnding,
        **from_list("withdrawn or voided"),
    )
    # Required by the operation, which puts its refusal beside this field.
    reason = _reason("Reason")


class CorrectionForm(FlaskForm):
    member = SelectField("Member", coerce=int, **from_list("a member on this roll call"))
    value = SelectField(
        "Corrected vote",
        choices=[SelectChoice(v.value, VALUE_LABELS[v]) for v in PRESIDING_VALUES],
        coerce=BallotValue,
        **from_list("yes, no, abstain, recused or not voting"),
    )
    reason = StringField(
        "Conflict stated (for a recusal), or why a member abstains in a quasi-judicial hearing",
        validators=[
            Length(max=REASON_MAX, message=f"Keep the conflict under {REASON_MAX:,} characters.")
        ],
        filters=[strip],
    )
    excused = BooleanField("The body excused this abstention")
    why = TextAreaField(
        "Why the vote is corrected",
        validators=[
            InputRequired("Say why the vote is corrected; the correction is part of the record."),
            Length(max=TEXT_MAX, message=f"Keep the reason under {TEXT_MAX:,} characters."),
        ],
        filters=[strip],
    )


def motion_form(
    seated: Iterable[Membership],
    present: frozenset[int],
    motions: Iterable[Motion],
    later: Iterable[Meeting],
    body_thresholds: Iterable[str] = (),
    **kwargs: Any,
) -> MotionForm:
    """Return the motion form; mover and seconder are chosen among the members present.

    The thresholds offered are the common ones and every rule the body set as a default.
    """
    form = MotionForm(prefix="motion", **kwargs)
    _offer_members(form, seated, present)
    codes = [c for c in body_thresholds if is_threshold(c)]
    codes += [c for c in (*COMMON_THRESHOLDS, *CHARTER_RULES) if c not in codes]
    form.threshold.choices = [SelectChoice("", "Default for this kind of motion")] + [
        SelectChoice(code, threshold_label(code)) for code in dict.fromkeys(codes)
    ]
    form.parent.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(m.id), f"Motion {m.position}: {shorten(m.text, CHOICE_TEXT_MAX)}")
        for m in motions
    ]
    form.continued_to.choices = meeting_choices(later)
    return form


def disposition_form(
    motions: Iterable[Motion], later: Iterable[Meeting], **kwargs: Any
) -> DispositionForm:
    """Return the disposition form; the deciding motion defaults to the last one voted."""
    voted = [m for m in motions if m.vote is not None]
    data: dict[str, Any] = {"motion": voted[-1].id if voted else None}
    deciding = [m for m in voted if decides_item(m.kind) and m.vote is not None]
    if deciding and deciding[-1].vote is not None:
        vote = deciding[-1].vote
        data["disposition"] = item_outcome(vote.result, vote.fallback_result)
    form = DispositionForm(prefix="disposition", data=data, **kwargs)
    form.continued_to.choices = meeting_choices(later)
    form.motion.choices = [SelectChoice("", "None")] + [
        SelectChoice(str(m.id), f"Motion {m.position}: {m.vote.explanation}")
        for m in voted
        if m.vote is not None
    ]
    return form


def correction_form(vote: Vote, names: Mapping[int, str], **kwargs: Any) -> CorrectionForm:
    """Return the form that corrects one member's vote on a recorded roll call."""
    form = CorrectionForm(prefix=f"fix{vote.id}", **kwargs)
    form.member.choices = [
        SelectChoice(str(b.person_id), names.get(b.person_id, b.person.name)) for b in vote.ballots
    ]
    return form


def meeting_choices(later: Iterable[Meeting]) -> list[SelectChoice]:
    """Return later meetings as select choices, after an empty one."""
    return [SelectChoice("", "None")] + [
        SelectChoice(str(m.id), meeting_time_label(m)) for m in later
    ]


@dataclass
class RollCallEntry:
    """A roll call as the clerk submitted it (or pre-filled), with problems found while reading."""

    values: dict[int, str] = field(default_factory=dict)
    reasons: dict[int, str] = field(default_factory=dict)
    excused: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def ballots(self) -> list[Ballot]:
        """Return the submitted ballots as the rules engine's values."""
        ballots = []
        for pid, value in self.values.items():
            if value in VALUES:
                # A recusal carries the conflict stated; an abstention may carry its reason (a
                # quasi-judicial hearing) and the body's leave (excused).
                kept = value in (BallotValue.RECUSED.value, BallotValue.ABSTAIN.value)
                reason = self.reasons.get(pid) if kept else None
                excused = value == BallotValue.ABSTAIN.value and pid in self.excused
                ballots.append(Ballot(pid, BallotValue(value), reason or None, excused))
        return ballots


def submitted_roll_call(formdata: Mapping[str, str], names: Mapping[int, str]) -> RollCallEntry:
    """Read every `vote-<person>` and `reason-<person>` of a roll-call form."""
    entry = RollCallEntry()
    for key, value in formdata.items():
        match = FIELD_KEY.match(key)
        if match is None:
            continue
        kind, pid = match.group(1), int(match.group(2))
        if kind == "reason":
            entry.reasons[pid] = value.strip()
            if len(entry.reasons[pid]) > REASON_MAX:
                who = names.get(pid, f"Member {pid}")
                entry.problems.append(f"Keep {who}'s reason under {REASON_MAX:,} characters.")
            continue
        if kind == "excused":
            entry.excused.add(pid)
            continue
        entry.values[pid] = value
        if value not in VALUES:
            who = names.get(pid, f"Member {pid}")
            entry.problems.append(f"{who} has no valid vote: choose yes, no, abstain or recused.")
    return entry
