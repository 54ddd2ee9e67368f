"""The facts of motions and roll calls as the audit chain keeps them, and as the tables hold
them now, for `flask verify` to replay."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from agenda.audit.signals import record_facts
from agenda.audit.verify import FactSource
from agenda.bodies.queries import person_names
from agenda.extensions import db
from agenda.votes.models import Motion, Vote

KINDS = frozenset({"motion", "vote"})


def motion_fact(motion: Motion) -> dict[str, Any]:
    """Return a motion's complete state: its words, who moved and seconded, how it ended."""
    return {
        f"motion:{motion.id}": {
            "item": motion.agenda_item_id,
            "parent": motion.parent_id,
            "position": motion.position,
            "kind": motion.kind,
            "text": motion.text,
            "mover": motion.mover_id,
            "seconder": motion.seconder_id,
            "threshold": motion.threshold,
            "continued_to": motion.continued_to_id,
            "ending": motion.ending,
            "ending_reason": motion.ending_reason,
            "consent_items": sorted(i.id for i in motion.consent_items),
        }
    }


def vote_fact(vote: Vote) -> dict[str, Any]:
    """Return a roll call's complete state: the tally, the result, and every member's ballot."""
    return {
        f"vote:{vote.id}": {
            "motion": vote.motion_id,
            "method": vote.method,
            "counts": [
                vote.yes_count,
                vote.no_count,
                vote.abstain_count,
                vote.recused_count,
                vote.absent_count,
            ],
            "required": vote.required,
            "result": vote.result,
            "fallback_result": vote.fallback_result,
            "explanation": vote.explanation,
            "ballots": {
                str(b.person_id): {
                    "value": b.value,
                    "reason": b.reason or "",
                    "excused": b.is_excused,
                }
                for b in vote.ballots
            },
        }
    }


def votes_source() -> FactSource:
    """Return every motion and roll call as the tables hold them now."""
    states: dict[str, Any] = {}
    motions = db.session.execute(
        sa.select(Motion).options(selectinload(Motion.consent_items))
    ).scalars()
    for motion in motions:
        states |= motion_fact(motion)
    votes = db.session.execute(sa.select(Vote).options(selectinload(Vote.ballots))).scalars()
    for vote in votes:
        states |= vote_fact(vote)
    names = person_names()
    return FactSource("motions and roll calls", KINDS, states, names)


def _source(sender: object, **kwargs: Any) -> FactSource:
    return votes_source()


def connect() -> None:
    """Answer `flask verify`'s question for this area's facts (safe to call again)."""
    record_facts.connect(_source)
