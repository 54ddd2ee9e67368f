"""Calendar and news feeds: `/meetings.ics` and `/feed.atom`, for everyone and for one body.

Both show only the public record, whoever asks, so caches may keep them a few minutes and
revalidate with a strong ETag (304 when nothing changed).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_login import current_user

from agenda.bodies.models import Body, Jurisdiction
from agenda.bodies.operations import jurisdiction
from agenda.documents.cache import CachedDocument, DocumentCache
from agenda.extensions import db
from agenda.meetings.display import meeting_name
from agenda.meetings.models import AgendaRevision, Meeting
from agenda.meetings.rules import MeetingStatus
from agenda.meetings.snapshot import has_pending_amendment
from agenda.minutes.models import MinutesRevision
from agenda.portal import feed_queries as queries
from agenda.portal import feed_rules as rules
from agenda.timefmt import format_date

bp = Blueprint("feeds", __name__)

# Short: an amendment or a cancellation reaches subscribers within minutes.
PUBLIC_CACHE = "public, max-age=300"
# The same bytes, but a signed-in user's answer may carry their session cookie.
PRIVATE_CACHE = "private, max-age=300"
ICS = "text/calendar; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
# Calendars as rendered, by their ETag: a few hundred meetings take a second to write.
CALENDARS = DocumentCache(max_bytes=24 * 1024 * 1024)


@bp.route("/meetings.ics")
def calendar() -> Response:
    return _calendar(None)


@bp.route("/bodies/<int:body_id>/meetings.ics")
def body_calendar(body_id: int) -> Response:
    return _calendar(_body(body_id))


@bp.route("/feed.atom")
def news() -> Response:
    return _news(None)


@bp.route("/bodies/<int:body_id>/feed.atom")
def body_news(body_id: int) -> Response:
    return _news(_body(body_id))


def _body(body_id: int) -> Body:
    body = db.session.get(Body, body_id)
    if body is None:
        abort(404)
    return body


def _calendar(body: Body | None) -> Response:
    body_id = body.id if body else None
    meetings = queries.public_meetings(body_id)
    newest = queries.newest_revisions(body_id)
    live = queries.live_agendas(
        [m.id for m in meetings if (r := newest.get(m.id)) is None or not r.has_snapshot]
    )
    place = jurisdiction()
    tz = place.timezone if place else body.timezone if body else "UTC"
    name = f"{body.name if body else _site_name(place)} meetings"
    # Everything the calendar is made of, short of the published agendas themselves (which
    # only a new revision changes): a revalidation or a cached copy costs no rendering.
    etag = rules.fingerprint(
        request.host_url, name, tz, live, [(_facts(m), newest.get(m.id)) for m in meetings]
    )
    if request.if_none_match.contains_weak(etag):
        return _answer(b"", ICS, etag)
    cached = CALENDARS.get(etag)
    if cached is None:
        published = queries.snapshots([r.id for r in newest.values() if r.has_snapshot])
        domain = rules.host_domain(request.host)
        events = [
            _event(m, newest.get(m.id), published.get(m.id), live.get(m.id, []), domain)
            for m in meetings
        ]
        cached = CachedDocument(rules.calendar_bytes(events, name=name, tz=tz), "", None)
        CALENDARS.put(etag, cached)
    return _answer(cached.data, ICS, etag)


def _facts(meeting: Meeting) -> tuple[object, ...]:
    return (
        meeting.id, meeting.body.name, meeting.meeting_type, meeting.status, meeting.scheduled_at,
        meeting.location, meeting.adjourned_at, meeting.cancelled_reason, meeting.published_at,
        meeting.created_at, has_pending_amendment(meeting),
    )  # fmt: skip


def _event(
    meeting: Meeting,
    revision: queries.NewestRevision | None,
    snapshot: dict[str, Any] | None,
    live: list[rules.AgendaLine],
    domain: str,
) -> rules.CalendarEvent:
    lines = queries.snapshot_lines(snapshot) if snapshot else live
    # While an amendment is pending, the public still sees the time and place published.
    shown = snapshot if snapshot and has_pending_amendment(meeting) else None
    start = datetime.fromisoformat(shown["scheduled_at"]) if shown else meeting.scheduled_at
    is_cancelled = meeting.status is MeetingStatus.CANCELLED
    return rules.CalendarEvent(
        uid=rules.event_uid(meeting.id, domain),
        summary=rules.event_summary(
            meeting.body.name, meeting_name(meeting), is_cancelled=is_cancelled
        ),
        start=start,
        end=rules.meeting_end(start, meeting.adjourned_at),
        stamp=revision.published_at if revision else meeting.published_at or meeting.created_at,
        sequence=rules.sequence_of(revision.number if revision else None),
        is_cancelled=is_cancelled,
        location=shown["location"] if shown else meeting.location,
        url=url_for("portal.meeting", meeting_id=meeting.id, _external=True),
        description=rules.event_description(
            lines, cancelled_reason=meeting.cancelled_reason if is_cancelled else None
        ),
    )


def _news(body: Body | None) -> Response:
    body_id = body.id if body else None
    domain = rules.host_domain(request.host)
    revisions = queries.published_revisions(body_id, rules.FEED_ENTRIES)
    approvals = queries.approved_minutes(body_id, rules.FEED_ENTRIES)
    entries = [
        *(_revision_entry(r, newest, domain) for r, newest in revisions),
        *(_minutes_entry(r, m, domain) for r, m in approvals),
    ]
    site = _site_name(jurisdiction())
    if body is None:
        self_url = url_for("feeds.news", _external=True)
        home_url = url_for("portal.home", _external=True)
        title = f"{site}: agendas and minutes"
    else:
        self_url = url_for("feeds.body_news", body_id=body.id, _external=True)
        home_url = url_for("portal.body", body_id=body.id, _external=True)
        title = f"{body.name}: agendas and minutes"
    data = rules.atom_bytes(
        rules.newest_first(entries),
        feed_id=self_url,
        title=title,
        author=site,
        self_url=self_url,
        home_url=home_url,
    )
    return _answer(data, ATOM)


def _label(meeting: Meeting) -> str:
    day = format_date(meeting.scheduled_at, meeting.timezone)
    return f"{meeting.body.name} {meeting.meeting_type.value} meeting of {day}"


def _document(digest: str) -> str:
    return url_for("portal.document", digest=digest, _external=True)


def _revision_entry(revision: AgendaRevision, newest: bool, domain: str) -> rules.FeedEntry:
    meeting = revision.meeting
    cancels = newest and meeting.status is MeetingStatus.CANCELLED
    links = []
    if revision.agenda_sha256:
        title = "Agenda" if revision.number == 1 else f"Agenda, revision {revision.number}"
        links.append(rules.FeedLink(_document(revision.agenda_sha256), f"{title} (PDF)"))
    if revision.packet_sha256:
        links.append(rules.FeedLink(_document(revision.packet_sha256), "Agenda packet (PDF)"))
    lines = queries.snapshot_lines(revision.snapshot) if revision.snapshot else []
    return rules.FeedEntry(
        id=rules.entry_id(
            domain, revision.published_at.date(), f"meeting-{meeting.id}/agenda-{revision.number}"
        ),
        title=rules.revision_title(revision.number, _label(meeting), cancels=cancels),
        updated=revision.published_at,
        url=url_for("portal.meeting", meeting_id=meeting.id, _external=True),
        summary=rules.entry_summary(revision.summary, lines),
        links=tuple(links),
    )


def _minutes_entry(revision: MinutesRevision, meeting: Meeting, domain: str) -> rules.FeedEntry:
    assert revision.approved_at is not None  # the query selects approved revisions only
    links = [
        rules.FeedLink(
            url_for("minutes.show", meeting_id=meeting.id, _external=True),
            "Minutes",
            type="text/html",
        )
    ]
    if revision.pdf_sha256:
        links.append(rules.FeedLink(_document(revision.pdf_sha256), "Minutes (PDF)"))
    return rules.FeedEntry(
        id=rules.entry_id(
            domain, revision.approved_at.date(), f"meeting-{meeting.id}/minutes-{revision.number}"
        ),
        title=f"Minutes approved: {_label(meeting)}",
        updated=revision.approved_at,
        url=url_for("portal.meeting", meeting_id=meeting.id, _external=True),
        summary=f"The minutes of the {_label(meeting)} were approved and published.",
        links=tuple(links),
    )


def _site_name(place: Jurisdiction | None) -> str:
    return place.name if place else current_app.config["SITE_NAME"]


def _answer(data: bytes, content_type: str, etag: str | None = None) -> Response:
    response = Response(data, content_type=content_type)
    response.set_etag(etag or hashlib.sha256(data).hexdigest())
    response.headers["Cache-Control"] = (
        PRIVATE_CACHE if current_user.is_authenticated else PUBLIC_CACHE
    )
    return response.make_conditional(request)
