"""Import Legistar's votes: a motion on each voted item and its roll call, keeping the result
Legistar recorded (EventItemPassedFlag) even where the body's rule would decide otherwise.

Field names used (webapi.legistar.com/Help, GET EventItems/{id}/Votes; public clients' Vote
and EventItem types):
  Votes: VoteId, VoteEventItemId, VotePersonId, VotePersonName, VoteValueName
  EventItems: EventItemId, EventItemActionName, EventItemActionText, EventItemMoverId,
    EventItemMover, EventItemSeconderId, EventItemSeconder, EventItemPassedFlag, EventItemTally
"""

from __future__ import annotations

from collections import Counter, defaultdict
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from agenda.api.legistar.events import meeting_of_items, seated
from agenda.api.legistar.reader import Row
from agenda.api.legistar.rules import (
    RECUSAL_REASON,
    Disagreement,
    ballot_value,
    is_excused,
    recorded_result,
)
from agenda.api.legistar.run import Run
from agenda.bodies.models import Body, Membership
from agenda.extensions import db
from agenda.matters.models import Matter
from agenda.meetings.models import AgendaItem, Attendance, Meeting
from agenda.meetings.rules import AttendanceStatus
from agenda.votes import rules
from agenda.votes.facts import motion_fact, vote_fact
from agenda.votes.models import Ballot, Motion, Vote
from agenda.votes.operations import voting_rules


def import_votes(run: Run, rows: list[Row], event_items: list[Row]) -> None:
    """Record a motion and a roll call for every item this run created that has votes."""
    by_item: dict[str, list[Row]] = defaultdict(list)
    for row in run.steps("Votes", rows):
        item = row.get("VoteEventItemId")
        if run.local("vote", item) is not None:
            run.report.existing("ballot")
        elif run.local("item", item) is None:
            run.report.skip("ballot", row.get("VoteId"), f"its item {item} was not imported")
        elif not run.is_fresh("item", item):
            run.report.skip("ballot", row.get("VoteId"), "its item was imported by an earlier run")
        else:
            by_item[str(item)].append(row)
    voted = {str(r.get("VoteEventItemId")) for r in rows}
    run.report.existing("vote", sum(1 for item in voted if run.local("vote", item) is not None))
    if not by_item:
        return
    _Recorder(run, {str(r.get("EventItemId")): r for r in event_items}).record(by_item)


class _Recorder:
    """Decide each imported roll call by the body's rule (for the report) and store it as
    recorded, in batches: motions, then votes, then every ballot in one insert."""

    def __init__(self, run: Run, items: dict[str, Row]) -> None:
        self.run = run
        self.items = items
        self.meetings = meeting_of_items(run)
        self.roster = seated(set(self.meetings.values()))
        self.context = self._context()
        self.decided: dict[tuple[Any, ...], tuple[rules.Outcome | None, str]] = {}

    def _context(self) -> dict[int, Any]:
        """Each meeting's body rules, date and attendance, read once."""
        rows = db.session.execute(
            sa.select(Meeting.id, Meeting.scheduled_at, Body)
            .join(Body, Body.id == Meeting.body_id)
            .where(Meeting.id.in_(set(self.meetings.values())))
        ).all()
        present: dict[int, dict[int, Attendance]] = defaultdict(dict)
        for a in db.session.execute(
            sa.select(Attendance).where(Attendance.meeting_id.in_(set(self.meetings.values())))
        ).scalars():
            present[a.meeting_id][a.person_id] = a
        types = dict(
            db.session.execute(
                sa.select(AgendaItem.id, Matter.matter_type)
                .join(Matter, Matter.id == AgendaItem.matter_id)
                .where(AgendaItem.id.in_(set(self.meetings)))
            ).all()
        )
        settings = {}
        for _, _, body in rows:
            settings.setdefault(body.id, voting_rules(body))
        return {
            "meetings": {m: (at, body) for m, at, body in rows},
            "present": present,
            "types": types,
            "settings": settings,
        }

    def record(self, by_item: dict[str, list[Row]]) -> None:
        motions, votes, ballots, keys = [], [], [], []
        for external, rows in self.run.steps("Roll calls", list(by_item.items())):
            decided = self._decide(external, rows)
            if decided is None:
                continue
            motion, vote, cast = decided
            motions.append(motion)
            votes.append(vote)
            ballots.append(cast)
            keys.append(external)
        motion_ids = self.run.insert(Motion, motions)
        for motion_id, vote in zip(motion_ids, votes, strict=True):
            vote["motion_id"] = motion_id
        vote_ids = self.run.insert(Vote, votes)
        flat = [
            {**b, "vote_id": vote_id}
            for vote_id, cast in zip(vote_ids, ballots, strict=True)
            for b in cast
        ]
        if flat:
            db.session.execute(sa.insert(Ballot), flat)
        self.run.remember("vote", zip(keys, vote_ids, strict=True))
        self.run.report.created("ballot", len(flat))
        facts: dict[str, Any] = {}
        for motion_id, values in zip(motion_ids, motions, strict=True):
            facts |= motion_fact(SimpleNamespace(id=motion_id, consent_items=[], **values))  # type: ignore[arg-type]
        for vote_id, values, cast in zip(vote_ids, votes, ballots, strict=True):
            shown = [SimpleNamespace(**b) for b in cast]
            facts |= vote_fact(SimpleNamespace(id=vote_id, ballots=shown, **values))  # type: ignore[arg-type]
        if vote_ids:
            self.run.audit("vote", facts, {"created": len(vote_ids), "ballots": len(flat)})

    def _decide(self, external: str, rows: list[Row]) -> tuple[dict, dict, list[dict]] | None:
        run = self.run
        item_id = run.local("item", external)
        meeting_id = self.meetings[item_id]  # type: ignore[index]
        scheduled, body = self.context["meetings"][meeting_id]
        members = self.roster[meeting_id]
        item = self.items.get(external, {})
        cast: dict[int, rules.Ballot] = {}
        for row in rows:
            person_id = run.local("person", row.get("VotePersonId"))
            value = ballot_value(row.get("VoteValueName"))
            who = row.get("VotePersonName") or row.get("VotePersonId")
            if person_id is None or person_id not in members:
                run.report.skip(
                    "ballot",
                    row.get("VoteId"),
                    f"{who} held no seat on the {body.name} on the meeting date",
                )
            elif value is None:
                run.report.skip(
                    "ballot",
                    row.get("VoteId"),
                    f"unknown VoteValueName “{row.get('VoteValueName')}”",
                )
            elif person_id in cast:
                run.report.skip("ballot", row.get("VoteId"), f"{who} already voted on this item")
            else:
                reason = RECUSAL_REASON if value is rules.BallotValue.RECUSED else None
                excused = value is rules.BallotValue.ABSENT and is_excused(row.get("VoteValueName"))
                cast[person_id] = rules.Ballot(person_id, value, reason, excused)
        if not cast:
            run.report.skip("vote", external, "none of its ballots could be imported")
            return None
        matter_type = self.context["types"].get(item_id)
        threshold = rules.default_threshold(
            rules.MotionKind.MAIN,
            is_legislation=matter_type is not None,
            matter_type=matter_type,
            overrides=body.default_thresholds,
        )
        settings = self.context["settings"][body.id]
        roll = self._roll(body, members, cast, self.context["present"][meeting_id])
        names = {pid: m.title for pid, m in members.items()}
        ballots = list(cast.values())
        outcome, by_rule = self._by_rule(body.id, settings, threshold, roll, ballots, names)
        recorded = recorded_result(item.get("EventItemPassedFlag"))
        if recorded is None and outcome is None:
            run.report.skip("vote", external, f"no recorded result and the rule says {by_rule}")
            return None
        result = recorded or outcome.result  # type: ignore[union-attr]
        counts = Counter(b.value for b in ballots)
        tally = f"{counts[rules.BallotValue.YES]}-{counts[rules.BallotValue.NO]}"
        explanation = f"{result.value.capitalize()} {tally} as recorded in Legistar"
        if outcome is not None and outcome.result is result:
            explanation = outcome.explanation
        else:
            said = outcome.explanation if outcome is not None else by_rule
            explanation += f"; the body's rule gives: {said}"
            title = item.get("EventItemTitle") or f"item {external}"
            run.report.disagreements.append(
                Disagreement(f"Legistar item {external} “{title}”", tally, result.value, by_rule)
            )
        mover, seconder = self._people(item, members)
        text = (item.get("EventItemActionText") or item.get("EventItemActionName") or "").strip()
        text = text or "Motion as recorded in Legistar"
        motion = {
            "agenda_item_id": item_id,
            "parent_id": None,
            "position": 1,
            "kind": rules.MotionKind.MAIN,
            "text": text,
            "mover_id": mover,
            "seconder_id": seconder,
            "threshold": threshold,
            "continued_to_id": None,
            "created_at": scheduled,
            "ending": None,
            "ending_reason": None,
        }
        vote = {
            "method": rules.VoteMethod.ROLL_CALL,
            "yes_count": counts[rules.BallotValue.YES],
            "no_count": counts[rules.BallotValue.NO],
            "abstain_count": counts[rules.BallotValue.ABSTAIN]
            + counts[rules.BallotValue.NOT_VOTING],
            "recused_count": counts[rules.BallotValue.RECUSED],
            "absent_count": counts[rules.BallotValue.ABSENT],
            "required": outcome.required if outcome is not None else 0,
            "result": result,
            "fallback_result": None,
            "explanation": explanation,
            "rules_snapshot": rules.snapshot(settings, threshold, roll),
            "recorded_at": scheduled,
        }
        stored = [
            {
                "person_id": b.person_id,
                "value": b.value,
                "reason": b.reason,
                "is_excused": b.excused,
            }
            for b in ballots
        ]
        return motion, vote, stored

    def _by_rule(
        self,
        body_id: int,
        settings: rules.VotingRules,
        threshold: str,
        roll: rules.Roll,
        ballots: list[rules.Ballot],
        names: dict[int, str],
    ) -> tuple[rules.Outcome | None, str]:
        """Decide the roll call by the body's rule; the same facts decide alike, so decided
        once (a city's votes repeat a few shapes: 100,000 ballots, a few hundred shapes)."""
        key = (
            body_id,
            threshold,
            roll.seats,
            roll.vacancies,
            roll.presiding_id,
            tuple(sorted(roll.presence.items())),
            tuple(sorted((b.person_id, b.value, b.reason, b.excused) for b in ballots)),
            tuple(sorted(names.items())),
        )
        if key not in self.decided:
            try:
                outcome = rules.decide(
                    settings, threshold=threshold, roll=roll, ballots=ballots, names=names
                )
                self.decided[key] = (outcome, outcome.result.value)
            except rules.RuleViolation as refused:
                self.decided[key] = (None, "refused: " + "; ".join(refused.messages))
        return self.decided[key]

    def _roll(
        self,
        body: Body,
        members: dict[int, Membership],
        cast: dict[int, rules.Ballot],
        attendance: dict[int, Attendance],
    ) -> rules.Roll:
        """Where each seated member was: a ballot says present, else the roll call, else absent."""
        presence = {}
        for pid in members:
            ballot = cast.get(pid)
            voted = ballot is not None and ballot.value is not rules.BallotValue.ABSENT
            came = ballot is None and pid in attendance
            if voted or (came and attendance[pid].status is AttendanceStatus.PRESENT):
                presence[pid] = rules.Presence.IN_PERSON
            elif ballot is not None and ballot.excused:
                presence[pid] = rules.Presence.EXCUSED
            else:
                presence[pid] = rules.Presence.ABSENT
        filled = {m.seat for m in members.values()}
        seats = max(body.seats, len(filled))
        presiding = next(
            (m.person_id for m in members.values() if m.seat == body.presiding_seat), None
        )
        return rules.Roll(
            seats=seats, vacancies=seats - len(filled), presence=presence, presiding_id=presiding
        )

    def _people(self, item: Row, members: dict[int, Membership]) -> tuple[int | None, int | None]:
        """Return the mover and the seconder, each if Legistar names them (None if not)."""
        by_name = {m.person.name.lower(): pid for pid, m in members.items()}

        def named(id_field: str, name_field: str) -> int | None:
            found = self.run.local("person", item.get(id_field))
            if found is None and item.get(name_field):
                found = by_name.get(str(item[name_field]).strip().lower())
            return found if found in members else None

        mover = named("EventItemMoverId", "EventItemMover")
        seconder = named("EventItemSeconderId", "EventItemSeconder")
        return mover, seconder if seconder != mover else None
