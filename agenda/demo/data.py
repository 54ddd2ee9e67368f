"""The demo's fixed content: people, seats, statements and the texts of its legislation."""

from __future__ import annotations

BODY_SLUG = "key-west-city-commission"
PLANNING_SLUG = "key-west-planning-board"

# Seat, title, name. Sam Kaufman is the real commissioner of the story; every other
# name is a placeholder, marked "(demo)" wherever it is shown.
COMMISSION = [
    (1, "Mayor", "Avery Placeholder (demo)"),
    (2, "Commissioner", "Blake Placeholder (demo)"),
    (3, "Commissioner", "Casey Placeholder (demo)"),
    (4, "Commissioner", "Drew Placeholder (demo)"),
    (5, "Commissioner", "Emery Placeholder (demo)"),
    (6, "Commissioner", "Sam Kaufman"),
    (7, "Commissioner", "Finley Placeholder (demo)"),
]
KAUFMAN_SEAT = 6
# The one "no" on ending the 287(g) agreement (a placeholder member).
NO_VOTE_SEAT = 4

PLANNING_BOARD = [
    (1, "Chair", "Gray Placeholder (demo)"),
    (2, "Vice Chair", "Harper Placeholder (demo)"),
    (3, "Member", "Indigo Placeholder (demo)"),
    (4, "Member", "Jules Placeholder (demo)"),
    (5, "Member", "Kendall Placeholder (demo)"),
]

APPEAL_STATEMENT = (
    "If a person decides to appeal any decision made by the City Commission with respect to "
    "any matter considered at this meeting, that person will need a record of the proceedings, "
    "and for such purpose that person may need to ensure that a verbatim record of the "
    "proceedings is made, which record includes the testimony and evidence upon which the "
    "appeal is to be based (Section 286.0105, Florida Statutes)."
)
ACCOMMODATION_STATEMENT = (
    "In accordance with the Americans with Disabilities Act, persons needing a special "
    "accommodation to participate in this meeting should contact the City Clerk's Office "
    "no later than two business days before the meeting (demo contact details)."
)

LOCATION = "City Hall Commission Chambers, 1300 White Street, Key West, Florida"

TERMINATE_287G_TITLE = (
    "A Resolution of the City Commission of the City of Key West, Florida, terminating the "
    "Memorandum of Agreement with U.S. Immigration and Customs Enforcement under Section "
    "287(g) of the Immigration and Nationality Act; providing for an effective date"
)
TERMINATE_287G_TEXT = """\
**WHEREAS**, the City of Key West entered into a Memorandum of Agreement with U.S.
Immigration and Customs Enforcement under Section 287(g) of the Immigration and
Nationality Act; and

**WHEREAS**, the City Commission finds that ending the agreement serves the public
interest of the residents and visitors of Key West;

**NOW, THEREFORE, BE IT RESOLVED BY THE CITY COMMISSION OF THE CITY OF KEY WEST, FLORIDA:**

1. The Memorandum of Agreement under Section 287(g) is terminated, and the City Manager
   is directed to give the notice of termination the agreement requires.
2. This resolution takes effect immediately upon its adoption.

*Demonstration text prepared for Agenda; not the official resolution.*
"""

DECLARATORY_TITLE = (
    "A Resolution of the City Commission of the City of Key West, Florida, authorizing the "
    "City Attorney to file an action for declaratory judgment against the Governor of the "
    "State of Florida, or in the alternative to join the lawsuit filed by the City of South "
    "Miami, concerning the City's termination of its 287(g) agreement; providing for an "
    "effective date"
)
DECLARATORY_TEXT = """\
**WHEREAS**, on a vote of 6 to 1 the City Commission ended the City's agreement with U.S.
Immigration and Customs Enforcement under Section 287(g) of the Immigration and
Nationality Act; and

**WHEREAS**, the City Commission seeks a judicial declaration of the City's rights and
obligations under state law with respect to that decision; and

**WHEREAS**, the City of South Miami has filed a lawsuit raising related questions;

**NOW, THEREFORE, BE IT RESOLVED BY THE CITY COMMISSION OF THE CITY OF KEY WEST, FLORIDA:**

1. The City Attorney is authorized to file an action for declaratory judgment against the
   Governor of the State of Florida in a court of competent jurisdiction.
2. In the alternative, the City Attorney is authorized to seek to join the lawsuit filed
   by the City of South Miami.
3. This resolution takes effect immediately upon its adoption.

*Demonstration text prepared for Agenda; not the official resolution.*
"""

SEAWALL_TITLE = (
    "A Resolution approving a contract for the repair of the seawall at Higgs Beach (demo)"
)
SEAWALL_TEXT = "The City Manager is authorized to execute the contract (demonstration text)."

RENTAL_TITLE = (
    "An Ordinance amending the Code of Ordinances concerning transient rental licenses; "
    "first reading (demo)"
)
RENTAL_TEXT = "Section 1. The Code of Ordinances is amended as follows (demonstration text)."

VARIANCE_TITLE = "A Resolution granting a setback variance at a demo address (demo)"
VARIANCE_TEXT = "The Planning Board grants the variance requested (demonstration text)."

DEMO_PASSWORDS = {
    "clerk@demo.agenda.test": "demo-clerk-password",
    "kaufman@demo.agenda.test": "demo-commissioner-password",
    "admin@demo.agenda.test": "demo-admin-password",
}

MINUTES_NOTES = (
    "Members of the public spoke for and against ending the agreement before the vote "
    "(demonstration minutes)."
)
