"""Template filters and globals: times in the body's local time zone, vote labels, states."""

from __future__ import annotations

from flask import Flask

from agenda.auth.rules import is_admin, is_commissioner, is_staff
from agenda.meetings.rules import meeting_state
from agenda.minutes.rules import minutes_state
from agenda.timefmt import format_date, format_datetime
from agenda.votes.display import (
    MOTION_LABELS,
    VALUE_LABELS,
    consent_line,
    ending_line,
    roll_call,
    rule_line,
    stand_outs,
)
from agenda.votes.rules import threshold_label


def register(app: Flask) -> None:
    """Make the filters, the vote labels and the status facts available to every template."""
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(format_date, "date")
    app.add_template_global(roll_call)
    app.add_template_global(consent_line)
    app.add_template_global(ending_line)
    app.add_template_global(rule_line)
    app.add_template_global(stand_outs)
    app.add_template_global(threshold_label)
    app.add_template_global(MOTION_LABELS, "motion_labels")
    app.add_template_global(VALUE_LABELS, "vote_labels")
    app.add_template_global(meeting_state)
    app.add_template_global(minutes_state)
    app.add_template_global(is_staff)
    app.add_template_global(is_commissioner)
    app.add_template_global(is_admin)
