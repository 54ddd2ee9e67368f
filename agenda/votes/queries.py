"""Page-level reads of motions and votes: the live console, corrections, loaders for pages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from agenda.auth.models import User
from agenda.bodies.models import Membership
from agenda.bodies.queries import member_names
from agenda.bodies.rules import AbstentionPolicy, PresidingVote, SeatBase
from agenda.extensions import db
from agenda.meetings.documents import NumberedItem, numbered_items
from agenda.meetings.models import AgendaItem, AgendaSection, Meeting
from agenda.meetings.queries import later_meetings, seated_on_meeting_date
from agenda.meetings.rules import OPEN_STATUSES, MeetingStatus, is_agenda_editable
from agenda.meetings.signals import is_record_frozen
from agenda.text import plural
from agenda.timefmt import local_date
from agenda.votes import rules
from agenda.votes.models import Ballot, BallotCorrection, Motion, Vote, motion_consent_items
from agenda.votes.operations import (
    is_pending,
    item_default_threshold,
    roll_at,
    voting_rules,
)


@dataclass(frozen=True)
class CorrectionRow:
    """One ballot correction, the member whose vote it changed, and who made it."""

    fix: BallotCorrection
    person_id: int
    corrected_by: str


@dataclass(frozen=True)
class MotionNode:
    """A motion with the motions moved on it (amendments, substitutes, reconsiderations)."""

    motion: Motion
    children: list[MotionNode]


@dataclass(frozen=True)
class ConsolePage:
    """Everything the live console shows of a meeting, on the item the clerk is at."""

    meeting: Meeting
    seated: list[Membership]
    names: dict[int, str]
    present: frozenset[int]
    quorum: int
    items: list[NumberedItem]
    current: NumberedItem | None
    motions: list[Motion]
    tree: list[MotionNode]
    later: list[Meeting]
    editable_later: list[Meeting]
    corrections: dict[int, list[CorrectionRow]]
    is_open: bool
    in_session: bool
    in_review: bool
    threshold_hint: str
    # Before the meeting's local date: calling to order asks for a reason.
    is_early: bool
    # What adjourning would leave behind: motions never put to a vote, items without outcome.
    open_motions: list[tuple[NumberedItem, Motion]]
    undecided: list[NumberedItem]
    # The body carries motions without objection (a voice vote) as well as by roll call.
    allows_voice_vote: bool
    # On an item of a consent section: the consent agenda as it stands.
    consent: ConsentAgenda | None = None
    # Where each seated member is now, and who presides (None: nobody, or the body has no chair).
    presence: dict[int, rules.Presence] = field(default_factory=dict)
    presiding_id: int | None = None
    # The presiding officer may be recorded "not voting" (they vote only on a tie, or never).
    presiding_may_abstain: bool = False
    # Abstaining needs the body's leave (a checkbox beside each member's vote).
    abstention_needs_leave: bool = False
    # Thresholds the body set as defaults, offered first in the motion form.
    body_thresholds: tuple[str, ...] = ()
    # The body's rules in one sentence each, shown in the console's quorum panel.
    rules_summary: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConsentAgenda:
    """A consent section at the meeting: the items left on it, those pulled, its motion."""

    section: AgendaSection
    left: list[NumberedItem]
    pulled: list[NumberedItem]
    motion: Motion | None

    @property
    def is_moved(self) -> bool:
        """Whether the consent agenda stands moved: its roll call pending, or passed."""
        motion = self.motion
        return motion is not None and (
            is_pending(motion)
            or (motion.vote is not None and motion.vote.result is rules.MotionResult.PASSED)
        )


def motions_loader(*, ballot_people: bool = False) -> LoaderOption:
    """Load an agenda item's motions with movers, seconders, votes and ballots (for pages).

    Pages name voters from the roster; `ballot_people` also loads each ballot's person, for
    members no longer seated.
    """
    ballots = selectinload(Motion.vote).selectinload(Vote.ballots)
    return selectinload(AgendaItem.motions).options(
        selectinload(Motion.mover),
        selectinload(Motion.seconder),
        selectinload(Motion.consent_items),
        ballots.selectinload(Ballot.person) if ballot_people else ballots,
    )


def consent_motions(items: Iterable[AgendaItem]) -> dict[int, Motion]:
    """Map each item a consent motion covers to that motion (the newest), from loaded motions."""
    return {
        covered.id: motion
        for item in items
        for motion in sorted(item.motions, key=lambda m: m.id)
        for covered in motion.consent_items
    }


def corrections_by_vote(item_ids: Iterable[int]) -> dict[int, list[CorrectionRow]]:
    """Return the ballot corrections of these items' roll calls, oldest first, by vote id."""
    rows = db.session.execute(
        sa.select(BallotCorrection, Ballot.vote_id, Ballot.person_id, User.name, User.email)
        .join(Ballot, Ballot.id == BallotCorrection.ballot_id)
        .join(Vote, Vote.id == Ballot.vote_id)
        .join(Motion, Motion.id == Vote.motion_id)
        .outerjoin(User, User.id == BallotCorrection.corrected_by_id)
        .where(Motion.agenda_item_id.in_(list(item_ids)))
        .order_by(BallotCorrection.corrected_at, BallotCorrection.id)
    ).all()
    by_vote: dict[int, list[CorrectionRow]] = {}
    for fix, vote_id, person_id, name, email in rows:
        who = name or email or "a user since removed"
        by_vote.setdefault(vote_id, []).append(CorrectionRow(fix, person_id, who))
    return by_vote


def motion_tree(motions: Sequence[Motion]) -> list[MotionNode]:
    """Nest each motion under the motion it was moved on, keeping the order they were moved."""
    nodes = {m.id: MotionNode(m, []) for m in motions}
    roots = []
    for motion in motions:
        parent = nodes.get(motion.parent_id) if motion.parent_id is not None else None
        (parent.children if parent else roots).append(nodes[motion.id])
    return roots


def current_item(items: list[NumberedItem], item_id: int | None) -> NumberedItem | None:
    """Return the chosen item, else the first one still undecided, else the first one."""
    chosen = next((n for n in items if n.item.id == item_id), None)
    undecided = next((n for n in items if n.item.disposition is None), None)
    return chosen or undecided or (items[0] if items else None)


def threshold_hint(item: AgendaItem) -> str:
    """Say which threshold each kind of motion gets by default on this item."""
    groups: dict[str, list[str]] = {}
    for kind in rules.MotionKind:
        default = item_default_threshold(item, kind)
        groups.setdefault(default, []).append(kind.value)
    parts = [f"{rules.threshold_label(t).lower()} for {', '.join(k)}" for t, k in groups.items()]
    return "Leave it on the default: " + "; ".join(parts) + "."


def _console_meeting(meeting_id: int) -> Meeting | None:
    return db.session.execute(
        sa.select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.body),
            selectinload(Meeting.attendance),
            selectinload(Meeting.sections)
            .selectinload(AgendaSection.items)
            .options(selectinload(AgendaItem.matter), motions_loader(ballot_people=True)),
        )
    ).scalar_one_or_none()


def console_page(meeting_id: int, item_id: int | None, now: datetime) -> ConsolePage | None:
    """Return the console of a meeting on one agenda item, in a fixed number of queries."""
    meeting = _console_meeting(meeting_id)
    if meeting is None:
        return None
    seated = seated_on_meeting_date(meeting)
    names = member_names(seated)
    settings = voting_rules(meeting.body)
    roll = roll_at(meeting, now, seated)
    presiding = roll.presiding_id if settings.has_presiding_seat else None
    items = [n for s in meeting.sections for n in numbered_items(s)]
    current = current_item(items, item_id)
    later = later_meetings(meeting)
    consent = consent_agenda(current, items) if current else None
    motions = list(current.item.motions) if current else []
    if consent and consent.motion and consent.motion not in motions:
        # Every item the consent motion covers shows it, with its roll call.
        motions = [consent.motion, *motions]
    in_review = meeting.status is MeetingStatus.ADJOURNED and not is_record_frozen(meeting.id)
    return ConsolePage(
        meeting=meeting,
        seated=seated,
        names=names,
        present=roll.present,
        quorum=rules.quorum_required(settings, roll),
        items=items,
        current=current,
        motions=motions,
        tree=motion_tree(motions),
        later=later,
        editable_later=[m for m in later if is_agenda_editable(m.status)],
        corrections=corrections_by_vote([current.item.id]) if current else {},
        is_open=meeting.status in OPEN_STATUSES,
        in_session=meeting.status is MeetingStatus.IN_PROGRESS,
        in_review=in_review,
        threshold_hint=threshold_hint(current.item) if current else "",
        is_early=local_date(now, meeting.timezone)
        < local_date(meeting.scheduled_at, meeting.timezone),
        open_motions=[(n, m) for n in items for m in n.item.motions if is_pending(m)],
        undecided=[n for n in items if n.item.disposition is None],
        allows_voice_vote=meeting.body.is_unanimous_consent_allowed,
        consent=consent,
        presence=dict(roll.presence),
        presiding_id=presiding,
        presiding_may_abstain=settings.presiding_vote is not PresidingVote.ALWAYS,
        abstention_needs_leave=settings.abstention_policy is AbstentionPolicy.WITH_CONSENT,
        body_thresholds=tuple(
            c for c in (meeting.body.default_thresholds or {}).values() if isinstance(c, str)
        ),
        rules_summary=rules_summary(settings, roll),
    )


def rules_summary(settings: rules.VotingRules, roll: rules.Roll) -> tuple[str, ...]:
    """Say the body's rules that change how a vote counts, one sentence each."""
    lines = [rules.abstention_sentence(settings.abstention_policy)]
    if roll.vacancies:
        base = "filled" if settings.seat_base is SeatBase.FILLED else "authorized"
        lines.append(f"{plural(roll.vacancies, 'seat')} vacant; the full body counts {base} seats.")
    if settings.has_presiding_seat:
        lines.append(f"The presiding officer {rules.PRESIDING_WORDS[settings.presiding_vote]}.")
    if settings.in_person_quorum:
        lines.append("Quorum counts only members in the room.")
    if settings.unexcused_departure_present:
        lines.append("A member who leaves without being excused counts present and yes.")
    if not settings.recused_count_for_quorum:
        lines.append("Recused members do not count toward quorum.")
    if settings.citation:
        lines.append(f"Rules: {settings.citation}.")
    return tuple(lines)


def consent_agenda(current: NumberedItem, items: list[NumberedItem]) -> ConsentAgenda | None:
    """The consent agenda the current item belongs to (or was pulled from), if any."""
    section = current.item.section
    if not section.is_consent:
        return None
    own = [n for n in items if n.item.section_id == section.id]
    motion = covering(current.item)
    if motion is None:
        motions = [covering(n.item) for n in own]
        motion = max((m for m in motions if m is not None), key=lambda m: m.id, default=None)
    return ConsentAgenda(
        section=section,
        left=[n for n in own if n.item in remaining(section)],
        pulled=[n for n in own if n.item.pulled_from_consent_at is not None],
        motion=motion,
    )


def remaining(section: AgendaSection) -> list[AgendaItem]:
    """The items of a consent section still on consent: not pulled and not yet decided."""
    return [i for i in section.items if i.pulled_from_consent_at is None and i.disposition is None]


def covering(item: AgendaItem) -> Motion | None:
    """The newest motion to approve the consent agenda that covers `item`, if any."""
    return db.session.execute(
        sa.select(Motion)
        .join(motion_consent_items, motion_consent_items.c.motion_id == Motion.id)
        .where(motion_consent_items.c.agenda_item_id == item.id)
        .order_by(Motion.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def ballot_days(person_id: int, body_id: int) -> set[date]:
    """Return the local dates of the body's meetings at which the person cast a ballot."""
    rows = db.session.execute(
        sa.select(Meeting.scheduled_at, Meeting.timezone)
        .join(AgendaSection, AgendaSection.meeting_id == Meeting.id)
        .join(AgendaItem, AgendaItem.section_id == AgendaSection.id)
        .join(Motion, Motion.agenda_item_id == AgendaItem.id)
        .join(Vote, Vote.motion_id == Motion.id)
        .join(Ballot, Ballot.vote_id == Vote.id)
        .where(Ballot.person_id == person_id, Meeting.body_id == body_id)
        .distinct()
    ).all()
    return {local_date(at, tz) for at, tz in rows}
