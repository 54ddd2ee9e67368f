"""A North Carolina town council votes under its own rules, set up from the screens.

From an empty install and `flask setup --preset north_carolina`, the admin creates the town
council: the preset fills the seats (a mayor and five council members), seats the mayor apart
(votes only to break a tie, N.C.G.S. 160A-69), counts filled seats and cites the statutes. One
council seat stays vacant. Acting as clerk, the admin builds an agenda with a quasi-judicial
hearing, publishes it, calls the meeting to order and records the roll calls: the mayor's vote
on a 3-1 split is refused beside the mayor's name, the mayor breaks a 2-2 tie, and the public
page shows each result with its arithmetic and the rule it was decided under. axe finds no
violation on the body form, the console and the public meeting page.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_violations, choose, seat_people, settled
from tests.browser.test_setup_journey import empty_install, sign_in  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

ADMIN = ("admin@example-town.test", "town council admin passphrase")
COUNCIL = "Town Council of Example"
TZ = "America/New_York"
MAYOR = "Mayor Dana Hall"
MEMBERS = [
    (1, "Mayor", "Dana Hall"),
    (2, "Council Member", "Ari Bell"),
    (3, "Council Member", "Kim Cho"),
    (4, "Council Member", "Lou Diaz"),
    (5, "Council Member", "Max Eze"),
    (6, "Council Member", None),  # vacant
]


def checked(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def vote(page: Page, member: str, value: str) -> None:
    page.get_by_role("group", name=f"Vote of {member}").get_by_label(value, exact=True).check()


def motion_on(page: Page, number: str, mover: str, seconder: str) -> None:
    choose(page, "Current item", number)
    page.get_by_role("button", name="Show item").click()
    settled(page)
    form = page.locator("#new-motion")
    choose(form, "Moved by", mover)
    choose(form, "Seconded by", seconder)
    form.get_by_role("button", name="Record the motion").click()
    settled(page)


def test_a_council_votes_under_its_charter_from_the_screens(empty_install, page: Page):  # noqa: F811
    base, flask_command = empty_install
    setup = flask_command(
        "setup", "--name", "Town of Example", "--timezone", TZ, "--admin-email", ADMIN[0],
        "--preset", "north_carolina", stdin=f"{ADMIN[1]}\n{ADMIN[1]}\n",
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout + setup.stderr
    sign_in(page, base, *ADMIN)

    # The council, from the preset the jurisdiction picked.
    page.goto(base + "/admin/bodies/new")
    expect(page.get_by_label("Seats, one title per line")).to_have_value(
        "\n".join(title for _, title, _ in MEMBERS)
    )
    expect(page.get_by_label("The presiding officer votes")).to_have_value("tie_only")
    expect(page.get_by_label("Citation of the body's rules")).to_have_value(
        "N.C.G.S. 160A-69, 160A-74, 160A-75"
    )
    checked(page)
    page.get_by_label("Name", exact=True).fill(COUNCIL)
    page.get_by_role("button", name="Create the body").click()
    expect(page.get_by_text("is created.")).to_be_visible()
    checked(page)

    seat_people(page, base, COUNCIL, MEMBERS, date.today() - timedelta(days=30))

    # The agenda: a quasi-judicial hearing and a resolution, published.
    page.goto(base + "/clerk/meetings/new")
    page.get_by_label("Type of meeting").select_option(label="Regular")
    page.get_by_label("Date").fill(datetime.now(ZoneInfo(TZ)).date().isoformat())
    page.get_by_label("Start time").fill("00:01")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Regular meeting")
    form = page.locator("#add-item")
    sections = form.get_by_label("Section").locator("option").all_inner_texts()
    hearing_section = next(s for s in sections if "Discussion" in s or "Public hearings" in s)
    form.get_by_label("Section").select_option(label=hearing_section)
    form.get_by_label("Title", exact=True).fill("Variance for 12 Elm Street")
    form.get_by_label("Quasi-judicial hearing").check()
    form.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("Variance for 12 Elm Street").first).to_be_visible()
    form.get_by_label("Section").select_option(label=hearing_section)
    form.get_by_label("Title", exact=True).fill("Resolution naming the new park")
    form.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("Resolution naming the new park").first).to_be_visible()
    page.get_by_role("button", name="Publish agenda").click()
    expect(page.get_by_text(re.compile("published", re.I)).first).to_be_visible()
    meeting_path = page.url

    # The meeting: everyone present; the console says how this council counts.
    page.get_by_role("link", name="Open the live console").click()
    page.get_by_role("button", name="Call to order").click()
    settled(page)
    page.get_by_role("button", name="Mark everyone present and save").click()
    settled(page)
    rules = page.locator(".console-rules")
    expect(rules).to_contain_text("1 seat vacant; the full body counts filled seats.")
    expect(rules).to_contain_text("The presiding officer votes only to break a tie.")
    expect(page.locator("#present-count")).to_contain_text("(quorum: 3)")
    items = page.get_by_label("Current item", exact=True).locator("option").all_inner_texts()
    hearing = next(o for o in items if "Variance" in o).split()[0]
    park = next(o for o in items if "park" in o).split()[0]

    # The hearing: the mayor may not vote on a 3-1 split; the record is refused, nothing saved.
    motion_on(page, hearing, "Ari Bell", "Kim Cho")
    expect(page.get_by_text("Quasi-judicial hearing").first).to_be_visible()
    page.get_by_role("button", name="Record all yes").click()
    expect(
        page.get_by_role("group", name=f"Vote of {MAYOR}").get_by_label(
            "Not voting (presiding)", exact=True
        )
    ).to_be_checked()
    vote(page, "Council Member Max Eze", "No")
    vote(page, MAYOR, "Yes")
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    expect(
        page.get_by_role("group", name=f"Vote of {MAYOR}").get_by_text(
            "presides and votes only to break a tie; the others voted 3-1"
        )
    ).to_be_visible()
    checked(page)
    vote(page, MAYOR, "Not voting (presiding)")
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    expect(page.get_by_text("Roll call recorded: Passed 3-1").first).to_be_visible()

    # The resolution: 2-2 among the council, and the mayor breaks the tie.
    motion_on(page, park, "Lou Diaz", "Ari Bell")
    page.get_by_role("button", name="Record all yes").click()
    vote(page, "Council Member Kim Cho", "No")
    vote(page, "Council Member Max Eze", "No")
    vote(page, MAYOR, "Yes")
    page.get_by_role("button", name="Record the roll call").click()
    settled(page)
    broke = "Passed 3-2 (3 votes required: majority of the 5 votes cast"
    expect(page.get_by_text(f"Roll call recorded: {broke}").first).to_be_visible()
    expect(page.get_by_text(f"{MAYOR}, presiding, broke a tie").first).to_be_visible()
    checked(page)

    # The public page: each result with its arithmetic and the rule it was decided under.
    meeting_id = re.search(r"/meetings/(\d+)", meeting_path).group(1)
    page.goto(f"{base}/meetings/{meeting_id}")
    main = page.locator("main")
    expect(main.get_by_text("Quasi-judicial hearing").first).to_be_visible()
    expect(main.get_by_text(re.compile(re.escape(broke))).first).to_be_visible()
    expect(
        main.get_by_text(
            re.compile(r"Rule: .*the presiding officer votes only to break a tie.*160A-75\)\.")
        ).first
    ).to_be_visible()
    checked(page)

    # The record's head, public, as the footer links it.
    page.get_by_role("link", name="Check the record").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("verify --head")
    checked(page)
