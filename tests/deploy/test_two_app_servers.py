"""Two app servers, one database (issue 13): what one server does, the other shows at once.

A city outgrowing one machine runs several gunicorn app servers behind a proxy, with the same
SECRET_KEY, one PostgreSQL and one Redis. The proxy may send each request to either server, so
a visitor must never notice which one answered.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import cycle

import pytest

from agenda.demo.data import DEMO_PASSWORDS
from tests.deploy.browsing import Answer, Server, Visitor
from tests.deploy.conftest import City

pytestmark = pytest.mark.postgres

CLERK, ADMIN = "clerk@demo.agenda.test", "admin@demo.agenda.test"
WRONG = "Wrong e-mail address or password."
THROTTLED = "Too many attempts in a short time. Wait a few minutes, then try again."
# Enough requests that each of a server's two workers answers some of them.
EVERY_WORKER = 8


def sign_in(visitor: Visitor, server: Server, email: str, password: str) -> Answer:
    return visitor.submit(server, "/login", None, email=email, password=password)


def signed_in_clerk(server: Server) -> Visitor:
    clerk = Visitor()
    signed_in = sign_in(clerk, server, CLERK, DEMO_PASSWORDS[CLERK])
    assert signed_in.status == 302, signed_in.text
    return clerk


def test_a_session_made_on_one_server_is_valid_on_the_other_until_signed_out(city: City):
    clerk = Visitor()
    signed_in = sign_in(clerk, city.a, CLERK, DEMO_PASSWORDS[CLERK])
    assert signed_in.status == 302
    dashboard = signed_in.location
    assert dashboard.startswith("/clerk")
    # The proxy sends the next request to B: the workspace opens there with A's cookie.
    on_b = clerk.get(city.b, dashboard)
    assert on_b.status == 200
    assert "Clerk's workspace" in on_b.text
    assert "Sign out" in on_b.text
    assert Visitor().get(city.b, dashboard).location.startswith("/login")
    copied = Visitor(dict(clerk.cookies))  # a copy of the cookie, as a thief would keep it

    signed_out = clerk.submit(city.a, dashboard, "/logout")
    assert signed_out.status == 302
    assert "You are signed out." in clerk.get(city.a, signed_out.location).text
    for visitor in (clerk, copied):
        for server in (city.b, city.a):
            again = visitor.get(server, dashboard)
            assert again.status == 302, (server.name, again.status)
            assert again.location.startswith("/login"), server.name


def test_failed_sign_ins_count_across_both_servers(city: City):
    guesser = Visitor()
    limit = 10  # per address and account in 15 minutes (agenda/auth/rules.py)
    for attempt, server in zip(range(limit), cycle((city.a, city.b)), strict=False):
        answer = sign_in(guesser, server, ADMIN, f"guess number {attempt}")
        assert answer.status == 400, (attempt, server.name, answer.status)
        assert WRONG in answer.text
    # Five guesses on each server: the limit is reached, and refused on both.
    for server in (city.a, city.b):
        refused = sign_in(guesser, server, ADMIN, "one more guess")
        assert refused.status == 429, server.name
        assert THROTTLED in refused.text
    # While limited even the right password is refused, on either server.
    owner = Visitor()
    for server in (city.b, city.a):
        refused = sign_in(owner, server, ADMIN, DEMO_PASSWORDS[ADMIN])
        assert refused.status == 429, server.name
        assert THROTTLED in refused.text
        assert owner.get(server, "/admin/").location.startswith("/login")


def test_link_guesses_count_across_both_servers_in_redis(city: City):
    guesser = Visitor()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', guesser.get(city.a, "/login").text
    )
    assert token is not None
    guess = {"csrf_token": token.group(1), "password": "x" * 16, "confirmation": "x" * 16}
    limit = 20  # posts to one-time links per address in 15 minutes (agenda/auth/views.py)
    for attempt, server in zip(range(limit), cycle((city.b, city.a)), strict=False):
        answer = guesser.post(server, f"/invite/not-a-real-token-{attempt}", guess)
        assert answer.status != 429, (attempt, server.name)
        assert answer.status < 500
    for server in (city.a, city.b):
        refused = guesser.post(server, "/invite/not-a-real-token-either", guess)
        assert refused.status == 429, server.name
        assert THROTTLED in refused.text


def public_matters(reader: Visitor, server: Server) -> list[str]:
    """Return the pages of the matters on the public meetings' agendas, as a reader finds them."""
    meetings = re.findall(r'href="(/meetings/\d+)"', reader.get(server, "/meetings").text)
    found = [
        re.findall(r'href="(/matters/\d+)"', reader.get(server, meeting).text)
        for meeting in dict.fromkeys(meetings)
    ]
    return list(dict.fromkeys(page for pages in found for page in pages))


@dataclass(frozen=True)
class Document:
    """A matter's document as a reader finds it from the front page, by both its addresses."""

    meeting: str
    matter: str
    friendly: str
    by_digest: str

    @property
    def remove_action(self) -> str:
        matter_id, attachment_id = self.matter.split("/")[-1], self.friendly.split("/")[2]
        return f"/clerk/matters/{matter_id}/attachments/{attachment_id}/remove"


def document_of(reader: Visitor, server: Server, listed_under: str) -> Document:
    """Find a document of a meeting the front page lists under `listed_under`."""
    front = reader.get(server, "/").text
    section = front[front.index(f'id="{listed_under}-heading"') :]
    section = section[: section.find("<h2", 4)]
    for meeting in dict.fromkeys(re.findall(r'href="(/meetings/\d+)"', section)):
        for matter in dict.fromkeys(
            re.findall(r'href="(/matters/\d+)"', reader.get(server, meeting).text)
        ):
            link = re.search(r'href="(/attachments/\d+/[^"]+)"', reader.get(server, matter).text)
            if link:
                pdf = reader.get(server, link.group(1))
                assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
                digest = hashlib.sha256(pdf.body).hexdigest()  # the address is its content's
                return Document(meeting, matter, link.group(1), f"/documents/{digest}.pdf")
    raise AssertionError(f"no document on the {listed_under} meetings of the demo")


def statuses(reader: Visitor, server: Server, url: str) -> set[int]:
    """Ask enough times that each of the server's workers answers."""
    return {reader.get(server, url).status for _ in range(EVERY_WORKER)}


def test_a_document_removed_through_one_server_is_gone_from_the_other_at_once(city: City):
    public = Visitor()
    document = document_of(public, city.b, "recent")  # its meeting is over: nothing to amend
    for url in (document.friendly, document.by_digest):
        assert statuses(public, city.b, url) == {200}, url

    clerk = signed_in_clerk(city.a)
    removed = clerk.submit(city.a, "/clerk" + document.matter, document.remove_action)
    assert removed.status == 302
    assert "Removed" in clerk.get(city.a, removed.location).text

    for url in (document.friendly, document.by_digest):
        assert statuses(public, city.b, url) == {404}, url
    assert document.friendly not in public.get(city.b, document.matter).text


def test_a_document_taken_off_a_published_agenda_is_gone_from_the_other_once_amended(
    city: City,
):
    public = Visitor()
    document = document_of(public, city.b, "upcoming")
    for url in (document.friendly, document.by_digest):
        assert statuses(public, city.b, url) == {200}, url

    clerk = signed_in_clerk(city.a)
    removed = clerk.submit(city.a, "/clerk" + document.matter, document.remove_action)
    assert removed.status == 302
    assert statuses(public, city.b, document.friendly) == {404}
    # The agenda as published still lists it (the public record) until the amendment goes out.
    assert statuses(public, city.b, document.by_digest) == {200}

    workspace = "/clerk" + document.meeting
    reason = "Removed a document filed in error"
    amended = clerk.submit(
        city.a, workspace, f"{workspace}/amendment", **{"amendment-reason": reason}
    )
    assert amended.status == 302, amended.text
    assert statuses(public, city.b, document.by_digest) == {404}
    assert reason in public.get(city.b, document.meeting).text


def test_a_page_changed_through_one_server_is_fresh_on_the_other(city: City):
    public = Visitor()
    page = public_matters(public, city.b)[-1]
    title = "A Resolution renamed through server A, to be read on server B"
    for _ in range(EVERY_WORKER // 2):  # every worker of B has shown the page as it was
        before = public.get(city.b, page)
        assert before.status == 200
        assert title not in before.text

    clerk = signed_in_clerk(city.a)
    edit = "/clerk" + page
    saved = clerk.submit(city.a, edit, edit, title=title)
    assert saved.status == 302, saved.text
    # The first request after the change, on each of B's workers, shows the new title.
    for _ in range(EVERY_WORKER // 2):
        assert title in public.get(city.b, page).text
