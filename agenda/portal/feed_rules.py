"""Calendar and news feeds as pure functions: what each event and entry says, and their bytes.

Nothing here reads the database or the request: `feeds.py` gathers the public record into
these dataclasses, and these functions decide UIDs, sequences, titles and the main items,
then write RFC 5545 (icalendar) and Atom (feedgen).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, Timezone
from lxml import etree

from agenda.text import plural

# A meeting has no end time until it adjourns; calendars get this long a block meanwhile.
DEFAULT_LENGTH = timedelta(hours=2)
# How many agenda items a calendar event or a feed entry names; the rest are counted.
MAIN_ITEMS = 8
# The newest entries an Atom feed holds; readers keep what they saw before.
FEED_ENTRIES = 50
# Sections whose items are the meeting's procedure, not its business.
PROCEDURAL = re.compile(
    r"^(call to order|roll call|invocation|pledge|approval of (the )?minutes|public comment"
    r"|adjourn)",
    re.IGNORECASE,
)
ATOM_NS = "http://www.w3.org/2005/Atom"
# Raise when the feeds' bytes change for the same records, so caches let go of old copies.
FORMAT = 1
PRODID = "-//Agenda//Public meetings calendar//EN"
# An empty feed was last updated at no particular time: a fixed one keeps its ETag stable.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AgendaLine:
    """One item of a published agenda, as a feed names it."""

    section: str
    number: str
    title: str
    file_number: str | None = None

    @property
    def label(self) -> str:
        prefix = f"{self.file_number} " if self.file_number else ""
        return f"{self.number} {prefix}{self.title}"


@dataclass(frozen=True)
class CalendarEvent:
    """One public meeting as a calendar event."""

    uid: str
    summary: str
    start: datetime
    end: datetime
    stamp: datetime
    sequence: int
    is_cancelled: bool
    location: str
    url: str
    description: str


@dataclass(frozen=True)
class FeedLink:
    href: str
    title: str
    rel: str = "related"
    type: str = "application/pdf"


@dataclass(frozen=True)
class FeedEntry:
    """One event of the public record: an agenda published or amended, minutes approved."""

    id: str
    title: str
    updated: datetime
    url: str
    summary: str
    links: tuple[FeedLink, ...] = field(default_factory=tuple)


def host_domain(host: str) -> str:
    """Return the domain that names this install in UIDs: the host without port, lowercase."""
    name = host.rsplit("@", 1)[-1]
    if name.startswith("["):  # an IPv6 literal keeps its brackets, loses its port
        return name[: name.index("]") + 1].lower()
    return name.split(":", 1)[0].lower() or "localhost"


def event_uid(meeting_id: int, domain: str) -> str:
    """Return a meeting's calendar UID, the same for the meeting's whole life."""
    return f"meeting-{meeting_id}@{domain}"


def sequence_of(revision_number: int | None) -> int:
    """Return the iCalendar SEQUENCE of an agenda at this revision: 0 for the original notice."""
    return max((revision_number or 1) - 1, 0)


def meeting_end(start: datetime, adjourned_at: datetime | None) -> datetime:
    """Return when a meeting ends on a calendar: its adjournment, or a default length."""
    if adjourned_at is not None and adjourned_at > start:
        return adjourned_at
    return start + DEFAULT_LENGTH


def main_items(lines: Sequence[AgendaLine], limit: int = MAIN_ITEMS) -> list[str]:
    """Name the agenda's business, legislation first, in agenda order, counting the rest."""
    business = [line for line in lines if not PROCEDURAL.match(line.section.strip())]
    ranked = sorted(range(len(business)), key=lambda i: (business[i].file_number is None, i))
    chosen = sorted(ranked[:limit])
    named = [business[i].label for i in chosen]
    rest = len(business) - len(chosen)
    if rest:
        named.append(f"and {plural(rest, 'more item')}")
    return named


def event_description(lines: Sequence[AgendaLine], *, cancelled_reason: str | None) -> str:
    """Write an event's description: why it was cancelled, then the main items."""
    parts = [f"Cancelled: {cancelled_reason}"] if cancelled_reason else []
    items = main_items(lines)
    if items:
        parts.append("On the agenda:\n" + "\n".join(f"- {i}" for i in items))
    return "\n\n".join(parts)


def entry_summary(summary: str, lines: Sequence[AgendaLine]) -> str:
    """Write a feed entry's text: what the clerk said of the revision, then the main items."""
    items = main_items(lines)
    listed = "\n".join(f"- {i}" for i in items)
    return f"{summary}\n\nOn the agenda:\n{listed}" if items else summary


def event_summary(body_name: str, meeting_name: str, *, is_cancelled: bool) -> str:
    """Title an event: 'Key West City Commission: Regular meeting', marked when cancelled."""
    title = f"{body_name}: {meeting_name}"
    return f"Cancelled: {title}" if is_cancelled else title


def revision_title(number: int, meeting_label: str, *, cancels: bool) -> str:
    """Title a feed entry for an agenda revision: published, amended, or cancelled.

    `cancels`: the revision is the newest of a cancelled meeting (the one that cancelled it).
    """
    if cancels:
        return f"Meeting cancelled: {meeting_label}"
    if number == 1:
        return f"Agenda published: {meeting_label}"
    return f"Amended agenda (revision {number}): {meeting_label}"


def entry_id(domain: str, on: date, path: str) -> str:
    """Return a stable Atom id (RFC 4151 tag URI) for something the record published on a day."""
    return f"tag:{domain},{on.isoformat()}:{path}"


def fingerprint(*parts: object) -> str:
    """Return a digest of what a feed is made of: the same parts, the same bytes (an ETag)."""
    return hashlib.sha256(repr((FORMAT, parts)).encode()).hexdigest()


def newest_first(entries: Iterable[FeedEntry], limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """Order entries newest first (ties by id, so the order never flickers) and keep `limit`."""
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)[:limit]


def calendar_bytes(events: Sequence[CalendarEvent], *, name: str, tz: str) -> bytes:
    """Write an RFC 5545 calendar: one VTIMEZONE for `tz`, every event's times in that zone."""
    zone = ZoneInfo(tz)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz)
    # Subscribers' clients ask again about every hour (REFRESH-INTERVAL: RFC 7986).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    years = [e.start.year for e in events] or [datetime.now(UTC).year]
    first, last = date(max(min(years) - 1, 1), 1, 1), date(min(max(years) + 2, 9999), 1, 1)
    calendar.add_component(Timezone.from_tzid(tz, first_date=first, last_date=last))
    for e in events:
        calendar.add_component(_event(e, zone))
    return calendar.to_ical()


def _event(e: CalendarEvent, zone: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", e.uid)
    event.add("dtstamp", e.stamp.astimezone(UTC))
    event.add("last-modified", e.stamp.astimezone(UTC))
    event.add("sequence", e.sequence)
    event.add("status", "CANCELLED" if e.is_cancelled else "CONFIRMED")
    event.add("summary", e.summary)
    event.add("dtstart", e.start.astimezone(zone))
    event.add("dtend", e.end.astimezone(zone))
    if e.location:
        event.add("location", e.location)
    event.add("url", e.url, parameters={"VALUE": "URI"})
    if e.description:
        event.add("description", e.description)
    return event


def atom_bytes(
    entries: Sequence[FeedEntry],
    *,
    feed_id: str,
    title: str,
    author: str,
    self_url: str,
    home_url: str,
) -> bytes:
    """Write an Atom feed of `entries` (newest first); it was updated when its newest entry was."""
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.author({"name": author})
    feed.link(href=home_url, rel="alternate", type="text/html")
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.language("en")
    feed.updated(_utc(entries[0].updated) if entries else EPOCH)
    for e in entries:
        item = feed.add_entry(order="append")
        item.id(e.id)
        item.title(e.title)
        item.updated(_utc(e.updated))
        item.published(_utc(e.updated))
        item.link(href=e.url)
        item.summary(e.summary)
    return _with_links(feed.atom_str(pretty=True), entries)


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(microsecond=0)


def _with_links(atom: bytes, entries: Sequence[FeedEntry]) -> bytes:
    # feedgen 1.0 writes only the href of an entry's links (its issue 135): give each entry
    # its page as rel="alternate" and its documents as rel="related", typed and titled.
    root = etree.fromstring(atom)
    for element, entry in zip(root.iterfind(f"{{{ATOM_NS}}}entry"), entries, strict=True):
        page = element.find(f"{{{ATOM_NS}}}link")
        assert page is not None  # written just above
        page.set("rel", "alternate")
        page.set("type", "text/html")
        for link in reversed(entry.links):
            extra = etree.Element(f"{{{ATOM_NS}}}link", href=link.href, rel=link.rel)
            extra.set("type", link.type)
            extra.set("title", link.title)
            extra.tail = page.tail
            page.addnext(extra)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
