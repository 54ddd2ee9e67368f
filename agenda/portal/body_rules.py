"""How a body's voting rules read on its public page: a few plain sentences."""

from __future__ import annotations

from agenda.bodies.models import Body
from agenda.bodies.queries import presiding_title, voting_settings
from agenda.bodies.rules import SeatBase
from agenda.votes.rules import (
    PRESIDING_WORDS,
    VotingRules,
    abstention_sentence,
    quorum_sentence,
)


def rules_summary(body: Body) -> list[str]:
    """Say the body's voting rules: quorum, abstentions, who presides, the full body, the law."""
    settings = voting_settings(body)
    try:
        rules = VotingRules(**settings)
    except ValueError:  # settings the admin screen refuses; say what it can without them
        rules = None
    quorum = quorum_sentence(body.seats, body.quorum_rule, body.quorum_fixed, rules)
    if not body.is_recused_counted_for_quorum:
        quorum += " Recused members do not count toward it."
    if body.is_in_person_quorum:
        quorum += " It must be in the room: members attending remotely do not count."
    lines = [quorum, abstention_sentence(body.abstention_policy), _presiding(body)]
    lines.append(_full_body(body))
    if body.is_unexcused_departure_present:
        lines.append(
            "A member who leaves without being excused counts present and voting yes"
            " (N.C.G.S. 160A-74, 160A-75)."
        )
    if body.is_tie_continued:
        lines.append("A tie on a main motion with members absent continues the item.")
    if body.rules_citation:
        lines.append(f"The rules come from {body.rules_citation}.")
    return lines


def _presiding(body: Body) -> str:
    if body.presiding_seat is None:
        return "No seat presides apart: the mayor or chair votes like every member."
    title = presiding_title(body) or "presiding officer"
    votes = PRESIDING_WORDS[body.presiding_vote]
    said = f"The {title} (seat {body.presiding_seat}) presides and {votes}"
    if not body.is_presiding_counted_for_quorum:
        said += ", and does not count toward quorum"
    if not body.is_presiding_seat_counted:
        said += "; the seat is not one of the seats that make the full body"
    return f"{said}."


def _full_body(body: Body) -> str:
    if body.seat_base is SeatBase.FILLED:
        said = "The full body is the seats filled on the day; vacant seats are left out"
    else:
        said = "The full body is every authorized seat, vacant or not"
    if body.is_full_body_less_recused:
        said += ", less members recused from the vote"
    return f"{said}."
