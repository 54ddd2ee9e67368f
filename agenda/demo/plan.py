"""The generated city meeting by meeting: agendas, attendance, motions, roll calls, minutes.

Rows are queued on a writer (table name, column values, ids given at once) and every roll call
is decided by the votes area's rules engine, so tallies, results and explanations are the ones
the app itself would store.
"""

from __future__ import annotations

import copy
import hashlib
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from agenda.bodies.models import Membership
from agenda.demo import synthetic as words
from agenda.demo.synthetic import LOCATION, TZ, MeetingPlan
from agenda.matters.rules import MatterAction, MatterStatus, MatterType, file_number
from agenda.meetings.rules import (
    AttendanceStatus,
    Disposition,
    MeetingStatus,
    MeetingType,
    item_number,
)
from agenda.minutes.rules import MinutesStatus
from agenda.votes import rules
from agenda.votes.rules import BallotValue, MotionKind, MotionResult

PLACEHOLDER_DIGEST = "0" * 64  # replaced by the record's digest once the record is complete
STEP = timedelta(minutes=4)


class Rows(Protocol):
    def add(self, table: str, **row: Any) -> int: ...


@dataclass
class Context:
    """One meeting being written: its ids, who sits, who is where, and the clock."""

    meeting_id: int
    body: int
    plan: MeetingPlan
    settings: rules.VotingRules
    thresholds: Mapping[str, str]
    seated: list[Membership]
    records: list[rules.AttendanceRecord]
    clock: datetime
    published_at: datetime
    seat_person: dict[int, int] = field(default_factory=dict)


@dataclass
class CityPlan:
    """Writes the city's meetings in time order onto `writer`; see `batches`."""

    bodies: list[tuple[int, rules.VotingRules, Mapping[str, str]]]
    terms: dict[int, list[Membership]]
    names: dict[int, str]
    meetings: list[MeetingPlan]
    rng: random.Random
    writer: Rows
    make_pdf: Callable[[str, list[str]], bytes]
    existing_blobs: set[str]
    sequences: dict[tuple[str, int], int] = field(default_factory=dict)
    meeting_ids: list[int] = field(default_factory=list)
    minutes_revision: dict[int, int] = field(default_factory=dict)
    amended: dict[int, int] = field(default_factory=dict)
    matter_status: dict[int, MatterStatus] = field(default_factory=dict)
    queue: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    pending_minutes: dict[int, list[tuple[int, MeetingPlan]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @property
    def batch_count(self) -> int:
        return len(self.meetings) + 1

    def batches(self) -> Iterator[int]:
        """Queue every meeting first (later ones are referred to), then each meeting's record."""
        published = [self._published_at(m) for m in self.meetings]
        for plan, at in zip(self.meetings, published, strict=True):
            self.meeting_ids.append(self._meeting(plan, at))
        yield 0
        self.next_regular = self._next_regular()
        for n, plan in enumerate(self.meetings):
            self._record(n, plan, published[n])
            self._item_rows.clear()
            yield n + 1
        for waiting in self.pending_minutes.values():
            for meeting_id, plan in waiting:
                self._minutes(meeting_id, plan, None)
        self.pending_minutes.clear()

    # Meetings

    def _published_at(self, plan: MeetingPlan) -> datetime:
        ahead = timedelta(days=8) if plan.meeting_type is MeetingType.REGULAR else timedelta(3)
        return (plan.at - ahead).replace(hour=12).astimezone(UTC)

    def _meeting(self, plan: MeetingPlan, published_at: datetime) -> int:
        long = plan.body == 0 and plan.meeting_type is MeetingType.REGULAR
        start = plan.at.astimezone(UTC)
        return self.writer.add(
            "meetings",
            body_id=self.bodies[plan.body][0],
            meeting_type=plan.meeting_type,
            status=MeetingStatus.CANCELLED if plan.cancelled else MeetingStatus.ADJOURNED,
            scheduled_at=start,
            timezone=str(TZ),
            location=LOCATION,
            notes="",
            published_at=published_at,
            cancelled_reason="No item required action; cancelled (demo)."
            if plan.cancelled
            else None,
            called_to_order_at=None if plan.cancelled else start + timedelta(minutes=2),
            adjourned_at=None if plan.cancelled else start + timedelta(hours=4 if long else 3),
            created_at=published_at - timedelta(days=3),
            is_demo=True,
            amendment_notes="",
        )

    def _next_regular(self) -> dict[int, int]:
        """Map each meeting to the next regular, held meeting of its body (for continuances)."""
        found: dict[int, int] = {}
        following: dict[int, int] = {}
        for n in range(len(self.meetings) - 1, -1, -1):
            plan = self.meetings[n]
            if plan.body in following:
                found[n] = following[plan.body]
            if plan.meeting_type is MeetingType.REGULAR and not plan.cancelled:
                following[plan.body] = self.meeting_ids[n]
        return found

    def _record(self, n: int, plan: MeetingPlan, published_at: datetime) -> None:
        meeting_id = self.meeting_ids[n]
        body_id, settings, thresholds = self.bodies[plan.body]
        day = plan.at.date()
        seated = [
            t
            for t in self.terms[body_id]
            if t.starts_on <= day and (t.ends_on is None or t.ends_on >= day)
        ]
        start = plan.at.astimezone(UTC) + timedelta(minutes=2)
        ctx = Context(
            meeting_id,
            plan.body,
            plan,
            settings,
            thresholds,
            seated,
            [],
            start,
            published_at,
            {t.seat: t.person_id for t in seated},
        )
        self.writer.add(
            "agenda_revisions",
            meeting_id=meeting_id,
            number=1,
            published_at=published_at,
            summary="Agenda published.",
            agenda_sha256=None,
            packet_sha256=None,
            packet_failures="",
            snapshot=None,
        )
        if plan.cancelled:
            section = self._section(ctx, 1, "Discussion")
            for position in (1, 2):
                self._item(section, position, words.item_title(self.rng))
            return
        self._attendance(ctx)
        sections = _SECTIONS[(plan.body, plan.meeting_type)]
        last_item: tuple[int, str, str] | None = None
        for position, (title, builder) in enumerate(sections, start=1):
            section = self._section(ctx, position, title, is_consent=builder == "consent")
            made = getattr(self, f"_{builder}")(ctx, section, position, n)
            if made and builder == "discussion":
                last_item = made
        if last_item is not None and self.rng.random() < 0.1:
            item_id, number, title = last_item
            self.amended[meeting_id] = item_id
            self.writer.add(
                "agenda_revisions",
                meeting_id=meeting_id,
                number=2,
                published_at=published_at + timedelta(days=5),
                summary=f"Added item {number}",
                agenda_sha256=None,
                packet_sha256=None,
                packet_failures="",
                snapshot=None,
            )
        self.pending_minutes[plan.body].append((meeting_id, plan))

    def snapshot_for(self, number: int, snapshot: dict[str, Any], meeting_id: int) -> Any:
        """Return what revision `number` published: the first lacks the item added later."""
        added = self.amended.get(meeting_id)
        if number != 1 or added is None:
            return snapshot
        earlier = copy.deepcopy(snapshot)
        for section in earlier["sections"]:
            section["items"] = [i for i in section["items"] if i["id"] != added]
        return earlier

    def _attendance(self, ctx: Context) -> None:
        quorum = len(ctx.seated) // 2 + 1
        for _ in range(3):
            records = []
            for term in ctx.seated:
                r = self.rng.random()
                if r < 0.04:
                    records.append(
                        rules.AttendanceRecord(
                            term.person_id, AttendanceStatus.ABSENT, None, None, False, r < 0.025
                        )
                    )
                elif r < 0.055:
                    late = ctx.clock + timedelta(minutes=50)
                    records.append(
                        rules.AttendanceRecord(
                            term.person_id, AttendanceStatus.PRESENT, late, None, False, False
                        )
                    )
                else:
                    records.append(rules.AttendanceRecord(term.person_id, AttendanceStatus.PRESENT))
            on_time = [
                r for r in records if r.status is AttendanceStatus.PRESENT and not r.arrived_at
            ]
            if len(on_time) >= quorum:
                break
        else:
            records = [
                rules.AttendanceRecord(t.person_id, AttendanceStatus.PRESENT) for t in ctx.seated
            ]
        ctx.records = records
        for r in records:
            self.writer.add(
                "attendance",
                meeting_id=ctx.meeting_id,
                person_id=r.person_id,
                status=r.status,
                arrived_at=r.arrived_at,
                left_at=None,
                is_remote=False,
                is_excused=r.is_excused,
            )

    def _section(
        self, ctx: Context, position: int, title: str, is_consent: bool = False
    ) -> tuple[int, int]:
        section_id = self.writer.add(
            "agenda_sections",
            meeting_id=ctx.meeting_id,
            position=position,
            title=title,
            is_consent=is_consent,
        )
        return section_id, position

    def _item(
        self,
        section: tuple[int, int],
        position: int,
        title: str,
        *,
        matter_id: int | None = None,
        disposition: Disposition | None = None,
        continued_to: int | None = None,
        quasi_judicial: bool = False,
    ) -> int:
        item_id = self.writer.add(
            "agenda_items",
            section_id=section[0],
            position=position,
            title=title[:500],
            description="",
            matter_id=matter_id,
            disposition=disposition,
            continued_to_id=continued_to,
            pulled_from_consent_at=None,
            pulled_note="",
            is_quasi_judicial=quasi_judicial,
        )
        self._item_rows[item_id] = self.writer.last
        return item_id

    # Sections

    def _minutes_item(self, ctx: Context, section: tuple[int, int], _p: int, n: int) -> Any:
        waiting = self.pending_minutes.pop(ctx.body, [])
        if not waiting:
            return None
        named = ", ".join(
            f"the {plan.meeting_type.value} meeting of {plan.at:%B} {plan.at.day}, {plan.at.year}"
            for _, plan in waiting
        )
        item_id = self._item(section, 1, f"Minutes of {named}")
        for meeting_id, _ in waiting:
            self.writer.add("agenda_item_minutes", agenda_item_id=item_id, meeting_id=meeting_id)
        motion_id, outcome, at = self._motion_and_vote(
            ctx,
            item_id,
            "Move to approve the minutes as presented.",
            MotionKind.MAIN,
            rules.default_threshold(
                MotionKind.MAIN, is_legislation=False, overrides=ctx.thresholds
            ),
            no_votes=0,
        )
        self._decided(item_id, outcome)
        for meeting_id, plan in waiting:
            approved = outcome is not None and outcome.result is MotionResult.PASSED
            self._minutes(meeting_id, plan, (motion_id, at) if approved else None)
        return None

    def _minutes(
        self, meeting_id: int, plan: MeetingPlan, approval: tuple[int, datetime] | None
    ) -> None:
        minutes_id = self.writer.add(
            "minutes", meeting_id=meeting_id, created_at=plan.at.astimezone(UTC) + timedelta(days=1)
        )
        revision = self.writer.add(
            "minutes_revisions",
            minutes_id=minutes_id,
            number=1,
            status=MinutesStatus.APPROVED if approval else MinutesStatus.DRAFT,
            meeting_notes=f"The {plan.meeting_type.value} meeting was held as noticed (demo).",
            item_notes={},
            created_at=plan.at.astimezone(UTC) + timedelta(days=1),
            created_by_id=None,
            approved_by_motion_id=approval[0] if approval else None,
            approved_at=approval[1] if approval else None,
            record_sha256=PLACEHOLDER_DIGEST if approval else None,
            pdf_sha256=None,
        )
        if approval:
            self.minutes_revision[meeting_id] = revision

    def _proclamations(self, ctx: Context, section: tuple[int, int], _p: int, n: int) -> Any:
        title = words.proclamation_title(self.rng)
        matter_id = self._file(ctx, MatterType.PROCLAMATION, title, chair=True)
        item_id = self._item(
            section, 1, title, matter_id=matter_id, disposition=Disposition.RECEIVED_AND_FILED
        )
        self._history(matter_id, MatterAction.PLACED_ON_AGENDA, ctx.published_at, ctx, item_id)
        self._history(matter_id, MatterAction.ADOPTED, ctx.clock, ctx, item_id)
        self.matter_status[matter_id] = MatterStatus.ADOPTED
        return None

    def _consent(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        items = [self._item(section, p, words.item_title(self.rng)) for p in range(1, 7)]
        numbers = ", ".join(item_number(position, p) for p in range(1, 7))
        motion_id, outcome, _ = self._motion_and_vote(
            ctx,
            items[0],
            f"Approve the consent agenda: items {numbers}.",
            MotionKind.MAIN,
            rules.default_threshold(
                MotionKind.MAIN, is_legislation=False, overrides=ctx.thresholds
            ),
            no_votes=0,
        )
        for item_id in items:
            self.writer.add("motion_consent_items", motion_id=motion_id, agenda_item_id=item_id)
        if outcome is not None:
            self._set_disposition(
                items, rules.item_outcome(outcome.result, outcome.fallback_result)
            )
        return None

    def _hearings(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        """Second readings of ordinances and anything continued, then quasi-judicial variances."""
        p = 0
        for matter_id, stage in self.queue.pop(ctx.body, []):
            p += 1
            self._legislation(ctx, section, position, p, n, matter_id, stage)
        if ctx.body == 1:
            for _ in range(4):
                p += 1
                title = words.variance_title(self.rng)
                matter_id = self._file(ctx, MatterType.RESOLUTION, title, chair=True)
                self._legislation(
                    ctx, section, position, p, n, matter_id, "resolution", title, True
                )
        return None

    def _resolutions(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        count = 27 if ctx.body else 31
        if ctx.plan.meeting_type is MeetingType.SPECIAL:
            count = 5
        legislation = 5 if ctx.body == 0 else 0
        for p in range(1, count + 1):
            if p <= legislation:
                title = words.resolution_title(self.rng)
                matter_id = self._file(ctx, MatterType.RESOLUTION, title)
                self._legislation(ctx, section, position, p, n, matter_id, "resolution", title)
            else:
                self._plain(ctx, section, position, p, words.item_title(self.rng))
        if self.rng.random() < 0.2:  # filed, then withdrawn before any agenda
            title = words.resolution_title(self.rng)
            matter_id = self._file(ctx, MatterType.RESOLUTION, title)
            self._history(matter_id, MatterAction.WITHDRAWN, ctx.published_at, None, None)
            self.matter_status[matter_id] = MatterStatus.WITHDRAWN
        return None

    def _ordinances(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        for p in (1, 2):
            title = words.ordinance_title(self.rng)
            matter_id = self._file(ctx, MatterType.ORDINANCE, title)
            self._legislation(ctx, section, position, p, n, matter_id, "first", title)
        self._plain(ctx, section, position, 3, words.item_title(self.rng))
        return None

    def _discussion(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        count = 3 if ctx.body else 4
        last: tuple[int, str, str] | None = None
        for p in range(1, count + 1):
            if p == 1:
                title = f"{words.rng_topic(self.rng)}: staff report (demo)"
                item_id = self._item(section, p, title, disposition=Disposition.RECEIVED_AND_FILED)
            else:
                title = f"Direct staff on {words.rng_topic(self.rng)} (demo)"
                item_id = self._plain(ctx, section, position, p, title)
            last = (item_id, item_number(position, p), title)
        return last

    def _comment(self, ctx: Context, section: tuple[int, int], position: int, n: int) -> Any:
        self._item(section, 1, "Public comment on any matter not on the agenda")
        return None

    # Items with motions

    def _plain(
        self, ctx: Context, section: tuple[int, int], position: int, p: int, title: str
    ) -> int:
        item_id = self._item(section, p, title)
        if self.rng.random() < 0.1:
            self._attach(
                f"Staff report {ctx.meeting_id}-{item_number(position, p)}", title, item_id=item_id
            )
        threshold = rules.default_threshold(
            MotionKind.MAIN, is_legislation=False, overrides=ctx.thresholds
        )
        outcome = self._main(
            ctx, item_id, f"Move to approve item {item_number(position, p)}.", threshold
        )
        self._decided(item_id, outcome)
        return item_id

    def _legislation(
        self,
        ctx: Context,
        section: tuple[int, int],
        position: int,
        p: int,
        n: int,
        matter_id: int,
        stage: str,
        title: str | None = None,
        quasi_judicial: bool = False,
    ) -> None:
        title = title or self._titles[matter_id]
        self._titles[matter_id] = title
        item_id = self._item(section, p, title, matter_id=matter_id, quasi_judicial=quasi_judicial)
        self._history(matter_id, MatterAction.PLACED_ON_AGENDA, ctx.published_at, ctx, item_id)
        number = item_number(position, p)
        later = self.next_regular.get(n)
        if later is not None and self.rng.random() < 0.05:
            motion_id, outcome, at = self._motion_and_vote(
                ctx,
                item_id,
                f"Move to continue item {number} to the next regular meeting.",
                MotionKind.CONTINUE,
                rules.default_threshold(MotionKind.CONTINUE, is_legislation=True),
                no_votes=0,
                continued_to=later,
            )
            if outcome is not None and outcome.result is MotionResult.PASSED:
                self._set_disposition([item_id], Disposition.CONTINUED, continued_to=later)
                self._history(matter_id, MatterAction.CONTINUED, at, ctx, item_id, motion_id)
                self.queue[ctx.body].append((matter_id, stage))
                self.matter_status[matter_id] = MatterStatus.ON_AGENDA
                return
        kind = MatterType.ORDINANCE if stage in ("first", "second") else MatterType.RESOLUTION
        threshold = rules.default_threshold(
            MotionKind.MAIN, is_legislation=True, matter_type=kind.value, overrides=ctx.thresholds
        )
        verb = {"first": "pass on first reading", "second": "adopt on second reading"}
        text = f"Move to {verb.get(stage, 'adopt')} item {number}."
        motion_id = self._main(ctx, item_id, text, threshold, quasi_judicial, keep_motion=True)
        outcome = self._last_outcome
        self._decided(item_id, outcome)
        at = self._last_at
        if outcome is None:
            return
        carried = outcome.carried
        if stage == "first" and carried:
            self._history(matter_id, MatterAction.FIRST_READING, at, ctx, item_id, motion_id)
            if later is not None:
                self.queue[ctx.body].append((matter_id, "second"))
            self.matter_status[matter_id] = MatterStatus.ON_AGENDA
            return
        if stage == "second" and carried:
            self._history(matter_id, MatterAction.SECOND_READING, at, ctx, item_id, motion_id)
        action = MatterAction.ADOPTED if carried else MatterAction.FAILED
        self._history(matter_id, action, at, ctx, item_id, motion_id)
        self.matter_status[matter_id] = MatterStatus.ADOPTED if carried else MatterStatus.FAILED

    def _main(
        self,
        ctx: Context,
        item_id: int,
        text: str,
        threshold: str,
        quasi_judicial: bool = False,
        keep_motion: bool = False,
    ) -> Any:
        """Move the main motion (sometimes amended first), vote; return the main outcome."""
        mover, seconder = self._movers(ctx)
        main_id = self.writer.add(
            "motions",
            **self._motion_row(
                ctx, item_id, None, 1, MotionKind.MAIN, text, threshold, None, mover, seconder
            ),
        )
        if self.rng.random() < 0.25:
            a_mover, a_seconder = self._movers(ctx)
            amendment = self.writer.add(
                "motions",
                **self._motion_row(
                    ctx,
                    item_id,
                    main_id,
                    2,
                    MotionKind.AMENDMENT,
                    f"Amend: {words.rng_topic(self.rng)} (demo).",
                    rules.default_threshold(MotionKind.AMENDMENT, is_legislation=False),
                    None,
                    a_mover,
                    a_seconder,
                ),
            )
            self._vote(ctx, amendment, MotionKind.AMENDMENT, "majority:cast", quasi_judicial, None)
        ctx.clock += STEP
        outcome = self._vote(ctx, main_id, MotionKind.MAIN, threshold, quasi_judicial, None)
        self._last_outcome, self._last_at = outcome, ctx.clock
        return main_id if keep_motion else outcome

    def _motion_and_vote(
        self,
        ctx: Context,
        item_id: int,
        text: str,
        kind: MotionKind,
        threshold: str,
        *,
        no_votes: int | None,
        continued_to: int | None = None,
    ) -> tuple[int, Any, datetime]:
        mover, seconder = self._movers(ctx)
        motion_id = self.writer.add(
            "motions",
            **self._motion_row(
                ctx, item_id, None, 1, kind, text, threshold, continued_to, mover, seconder
            ),
        )
        outcome = self._vote(ctx, motion_id, kind, threshold, False, no_votes)
        return motion_id, outcome, ctx.clock

    def _motion_row(
        self,
        ctx: Context,
        item_id: int,
        parent: int | None,
        position: int,
        kind: MotionKind,
        text: str,
        threshold: str,
        continued_to: int | None,
        mover: int,
        seconder: int,
    ) -> dict[str, Any]:
        ctx.clock += STEP
        return {
            "agenda_item_id": item_id,
            "parent_id": parent,
            "position": position,
            "kind": kind,
            "text": text,
            "mover_id": mover,
            "seconder_id": seconder,
            "threshold": threshold,
            "continued_to_id": continued_to,
            "created_at": ctx.clock,
            "ending": None,
            "ending_reason": None,
            "ended_at": None,
            "ended_by_id": None,
        }

    def _movers(self, ctx: Context) -> tuple[int, int]:
        present = sorted(rules.present_at(ctx.records, ctx.clock + STEP))
        mover, seconder = self.rng.sample(present, 2)
        return mover, seconder

    def _vote(
        self,
        ctx: Context,
        motion_id: int,
        kind: MotionKind,
        threshold: str,
        quasi_judicial: bool,
        no_votes: int | None,
    ) -> rules.Outcome | None:
        """Decide a roll call with the rules engine and queue the vote and its ballots."""
        ctx.clock += timedelta(minutes=2)
        at = ctx.clock
        where = rules.presence_at(ctx.records, at)
        seats = max(ctx.settings.seats, len(ctx.seated))
        presiding = ctx.seat_person.get(1)
        roll = rules.Roll(
            seats=seats,
            vacancies=seats - len(ctx.seated),
            presence={
                t.person_id: where.get(t.person_id, rules.Presence.ABSENT) for t in ctx.seated
            },
            presiding_id=presiding,
        )
        present = sorted(roll.present)
        values: dict[int, tuple[BallotValue, str | None]] = dict.fromkeys(
            present, (BallotValue.YES, None)
        )
        free = list(present)
        self.rng.shuffle(free)
        if no_votes is None:
            if self.rng.random() < 0.03 and len(free) > 4:
                values[free.pop()] = (BallotValue.RECUSED, self.rng.choice(words.CONFLICTS))
            may_abstain = quasi_judicial or ctx.settings.abstention_policy.value == "allowed"
            if may_abstain and self.rng.random() < 0.04 and len(free) > 4:
                values[free.pop()] = (BallotValue.ABSTAIN, None)
            no_votes = words.split(self.rng, len(free))
        for pid in free[:no_votes]:
            values[pid] = (BallotValue.NO, None)
        ballots = [rules.Ballot(pid, value, reason) for pid, (value, reason) in values.items()]
        ballots += [
            rules.Ballot(t.person_id, BallotValue.ABSENT)
            for t in ctx.seated
            if t.person_id not in values
        ]
        try:
            outcome = rules.decide(
                ctx.settings,
                threshold=threshold,
                roll=roll,
                ballots=ballots,
                names=self.names,
                kind=kind,
                quasi_judicial=quasi_judicial,
            )
        except rules.RuleViolation:
            return None
        if not outcome.has_quorum:
            return None
        vote_id = self.writer.add(
            "votes",
            motion_id=motion_id,
            yes_count=outcome.yes,
            no_count=outcome.no,
            abstain_count=outcome.abstain,
            recused_count=outcome.recused,
            absent_count=outcome.absent,
            required=outcome.required,
            method=rules.VoteMethod.ROLL_CALL,
            result=outcome.result,
            explanation=outcome.explanation,
            fallback_result=outcome.fallback_result,
            rules_snapshot=rules.snapshot(
                ctx.settings, threshold, roll, kind=kind, quasi_judicial=quasi_judicial
            ),
            recorded_at=at,
            recorded_by_id=None,
        )
        for b in ballots:
            self.writer.add(
                "ballots",
                vote_id=vote_id,
                person_id=b.person_id,
                value=b.value,
                reason=b.reason,
                is_excused=False,
            )
        return outcome

    def _decided(self, item_id: int, outcome: rules.Outcome | None) -> None:
        if outcome is not None:
            self._set_disposition(
                [item_id], rules.item_outcome(outcome.result, outcome.fallback_result)
            )

    def _set_disposition(
        self, items: list[int], disposition: Disposition, continued_to: int | None = None
    ) -> None:
        # The item rows are still queued (a meeting is written whole): set them in place.
        for item_id in items:
            row = self._item_rows[item_id]
            row["disposition"] = disposition
            row["continued_to_id"] = continued_to

    # Legislation

    def _file(self, ctx: Context, matter_type: MatterType, title: str, chair: bool = False) -> int:
        filed_at = ctx.published_at - timedelta(days=self.rng.randint(3, 20))
        year = filed_at.astimezone(TZ).year % 100
        key = (matter_type.value, year)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        number = file_number(matter_type, year, self.sequences[key])
        matter_id = self.writer.add(
            "matters",
            body_id=self.bodies[ctx.body][0],
            matter_type=matter_type,
            year=year,
            sequence=self.sequences[key],
            file_number=number,
            title=title,
            text=words.matter_text(title, self.rng),
            status=MatterStatus.FILED,
            created_at=filed_at,
            is_demo=True,
        )
        self._titles[matter_id] = title
        sponsors = (
            [ctx.seat_person.get(1)]
            if chair
            else self.rng.sample(sorted(ctx.seat_person.values()), self.rng.choice((1, 1, 2)))
        )
        for position, person in enumerate(s for s in sponsors if s is not None):
            self.writer.add(
                "matter_sponsors", matter_id=matter_id, person_id=person, position=position + 1
            )
        self._history(matter_id, MatterAction.FILED, filed_at, None, None)
        self._attach(number, title, matter_id=matter_id, at=filed_at)
        self.matter_status[matter_id] = MatterStatus.FILED
        return matter_id

    def _attach(
        self,
        name: str,
        title: str,
        *,
        matter_id: int | None = None,
        item_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        data = self.make_pdf(name, [title, *words.matter_text(title, self.rng).splitlines()])
        digest = hashlib.sha256(data).hexdigest()
        at = at or datetime.now(UTC)
        if digest not in self.existing_blobs:
            self.existing_blobs.add(digest)
            self.writer.add(
                "blobs",
                sha256=digest,
                size=len(data),
                content_type="application/pdf",
                data=data,
                created_at=at,
            )
        self.writer.add(
            "attachments",
            sha256=digest,
            filename=f"{name}.pdf",
            title=f"{name} {'full text' if matter_id else ''}".strip(),
            page_count=1,
            position=1,
            matter_id=matter_id,
            agenda_item_id=item_id,
            created_at=at,
        )

    def _history(
        self,
        matter_id: int,
        action: MatterAction,
        at: datetime,
        ctx: Context | None,
        item_id: int | None,
        motion_id: int | None = None,
    ) -> None:
        self.writer.add(
            "matter_history",
            matter_id=matter_id,
            action=action,
            occurred_at=at,
            meeting_id=ctx.meeting_id if ctx else None,
            agenda_item_id=item_id,
            motion_id=motion_id,
            note="",
        )

    def __post_init__(self) -> None:
        self._titles: dict[int, str] = {}
        self._item_rows: dict[int, dict[str, Any]] = {}
        self.next_regular = {}
        self._last_outcome: rules.Outcome | None = None
        self._last_at = datetime.now(UTC)


# Each kind of meeting's sections, in order: (title, how its items are made).
_COMMISSION = [
    ("Approval of minutes", "minutes_item"),
    ("Proclamations", "proclamations"),
    ("Consent agenda", "consent"),
    ("Public hearings", "hearings"),
    ("Resolutions", "resolutions"),
    ("Ordinances", "ordinances"),
    ("Discussion", "discussion"),
    ("Public comment", "comment"),
]
_BOARD = [
    ("Approval of minutes", "minutes_item"),
    ("Public hearings", "hearings"),
    ("New business", "resolutions"),
    ("Discussion", "discussion"),
    ("Public comment", "comment"),
]
_SECTIONS = {
    (0, MeetingType.REGULAR): _COMMISSION,
    (0, MeetingType.SPECIAL): [("Resolutions", "resolutions"), ("Public comment", "comment")],
    (1, MeetingType.REGULAR): _BOARD,
    (2, MeetingType.REGULAR): [s for s in _BOARD if s[1] != "hearings"],
}
