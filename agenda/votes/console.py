"""The live console page: what it shows, and what it says after a refused action."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import abort, render_template
from flask_wtf import FlaskForm

from agenda.db import utcnow
from agenda.errors import Refused
from agenda.meetings.display import DISPOSITION_LABELS, meeting_time_label
from agenda.votes import forms, rules
from agenda.votes.attendance import AttendanceRow, attendance_rows
from agenda.votes.operations import is_pending
from agenda.votes.queries import ConsolePage, console_page


@dataclass
class Answer:
    """What the page says after a refused action: messages per block, bound forms and grids."""

    notes: dict[str, list[str]] = field(default_factory=dict)
    attendance: list[AttendanceRow] | None = None
    roll_calls: dict[int, forms.RollCallEntry] = field(default_factory=dict)
    bound: dict[str, FlaskForm] = field(default_factory=dict)


def noted(
    meeting_id: int, item_id: int | None, block: str, **bound: FlaskForm
) -> Callable[[Refused | None], str]:
    """Return how to show the console again with a refusal's messages above `block`."""

    def again(refusal: Refused | None) -> str:
        notes = {block: list(refusal.messages)} if refusal is not None else {}
        return render(meeting_id, item_id, answer=Answer(notes=notes, bound=dict(bound)))

    return again


def render(
    meeting_id: int,
    item_id: int | None = None,
    *,
    answer: Answer | None = None,
    prefill_yes: bool = False,
) -> str:
    """Render the live console of a meeting on one agenda item."""
    answer = answer or Answer()
    page = console_page(meeting_id, item_id, utcnow())
    if page is None:
        abort(404)
    page_forms = {**blank_forms(page), **answer.bound}
    roll_calls = {
        m.id: answer.roll_calls.get(m.id)
        or (all_yes(page) if prefill_yes else forms.RollCallEntry())
        for m in page.motions
        if is_pending(m)
    }
    meeting = page.meeting
    rows = answer.attendance or attendance_rows(page.seated, meeting.attendance, meeting.timezone)
    return render_template(
        "votes/manage/console.html",
        page=page,
        meeting=meeting,
        is_open=page.is_open,
        in_session=page.in_session,
        in_review=page.in_review,
        seated=page.seated,
        members={m.person_id: m for m in page.seated},
        names=page.names,
        present=page.present,
        quorum=page.quorum,
        attendance=rows,
        items=page.items,
        current=page.current,
        motions_by_id={m.id: m for m in page.motions},
        tree=page.tree,
        corrections=page.corrections,
        meetings_by_id={m.id: m for m in page.later},
        forms=page_forms,
        roll_calls=roll_calls,
        notes=answer.notes,
        errors=summary(answer, page_forms),
        threshold_hint=page.threshold_hint,
        kind_labels=forms.KIND_LABELS,
        disposition_labels=DISPOSITION_LABELS,
        cast_values=forms.CAST_VALUES,
        presiding_values=forms.PRESIDING_VALUES,
        presence_labels=forms.PRESENCE_LABELS,
        meeting_label=meeting_time_label,
        threshold_label=rules.threshold_label,
        item_numbers={n.item.id: n.number for n in page.items},
        consent=page.consent,
    )


def blank_forms(page: ConsolePage) -> dict[str, Any]:
    """Return the console's blank forms for the current item, keyed by their prefix."""
    blank: dict[str, Any] = {
        "call": forms.CallForm(prefix="call", formdata=None),
        "adjourn": forms.AdjournForm(prefix="adjourn", formdata=None),
        "reopen": forms.ReopenForm(prefix="reopen", formdata=None),
    }
    if page.current is None:
        return blank
    blank |= {
        "motion": forms.motion_form(
            page.seated,
            page.present,
            page.motions,
            page.editable_later,
            body_thresholds=page.body_thresholds,
            formdata=None,
        ),
        "disposition": forms.disposition_form(page.motions, page.editable_later, formdata=None),
    }
    if page.consent is not None:
        blank["consent"] = forms.consent_form(page.seated, page.present, formdata=None)
        left = [(n.item.id, f"{n.number} {n.item.title}") for n in page.consent.left]
        blank["pull"] = forms.pull_form(left, formdata=None)
    for m in page.motions:
        if is_pending(m):
            blank[f"end{m.id}"] = forms.EndMotionForm(prefix=f"end{m.id}", formdata=None)
        if m.vote is not None:
            blank[f"fix{m.vote.id}"] = forms.correction_form(m.vote, page.names, formdata=None)
    return blank


def all_yes(page: ConsolePage) -> forms.RollCallEntry:
    """Return a roll call pre-filled with yes for every member present.

    A presiding officer who votes only to break a tie, or never, is pre-filled "not voting".
    """
    values = dict.fromkeys(page.present, rules.BallotValue.YES.value)
    if page.presiding_id in values and page.presiding_may_abstain:
        values[page.presiding_id] = rules.BallotValue.NOT_VOTING.value
    return forms.RollCallEntry(values=values)


def place_messages(
    entry: forms.RollCallEntry, messages: Iterable[str], names: Mapping[int, str]
) -> None:
    """Put each refusal beside the member it names; the rest go above the roll call."""
    longest_first = sorted(names.items(), key=lambda pair: -len(pair[1]))
    for message in messages:
        pid = next((p for p, n in longest_first if message.startswith(f"{n} ")), None)
        if pid is None:
            entry.general.append(message)
        else:
            entry.errors.setdefault(pid, []).append(message)


def summary(answer: Answer, page_forms: Mapping[str, Any]) -> list[tuple[str, str]]:
    """List every error on the page with a link to the control or block it concerns."""
    errors = [(m, f"#{block}") for block, messages in answer.notes.items() for m in messages]
    for key in answer.bound:
        errors += [(e, f"#{fld.id}") for fld in page_forms[key] for e in fld.errors]
    for row in answer.attendance or []:
        errors += [(e, f"#status-{row.person_id}-present") for e in row.errors]
    for motion_id, entry in answer.roll_calls.items():
        errors += [(e, f"#rollcall-{motion_id}") for e in entry.general]
        for pid, messages in entry.errors.items():
            errors += [(e, f"#vote-{motion_id}-{pid}-yes") for e in messages]
    return errors
