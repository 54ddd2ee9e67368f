"""The first step of a fresh install: the jurisdiction and its first admin, once."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from agenda.audit.operations import record_event
from agenda.auth.models import User
from agenda.auth.operations import create_user
from agenda.auth.rules import Role
from agenda.bodies.models import Jurisdiction
from agenda.bodies.rules import RulesPreset
from agenda.errors import Refused
from agenda.extensions import db
from agenda.timefmt import timezone_problem

NAME_MAX = 200
ADDRESS_MAX = 500
WEBSITE_MAX = 300


class SetupRefused(Refused):
    """Setup did not run; the message says why and that nothing changed."""


@dataclass(frozen=True)
class SetupRequest:
    name: str
    timezone: str
    admin_email: str
    admin_password: str
    admin_name: str = ""
    address: str = ""
    website: str = ""
    preset: RulesPreset = RulesPreset.GENERAL


def already_set_up() -> str | None:
    """Say why setup may not run (a jurisdiction exists), or None when it may."""
    existing = db.session.execute(sa.select(Jurisdiction).limit(1)).scalar_one_or_none()
    if existing is None:
        return None
    if existing.is_demo:
        return (
            "This database holds the demo; remove it first with `flask --app agenda demo remove`."
        )
    return f"Already set up as {existing.name}; nothing changed."


def request_problem(request: SetupRequest) -> str | None:
    """Say what is wrong with the jurisdiction's details, or None."""
    name = request.name.strip()
    if not name:
        return "Enter the jurisdiction's name."
    if len(name) > NAME_MAX:
        return f"Use at most {NAME_MAX} characters for the name."
    if problem := timezone_problem(request.timezone):
        return problem
    if len(request.address.strip()) > ADDRESS_MAX:
        return f"Use at most {ADDRESS_MAX} characters for the address."
    website = request.website.strip()
    if len(website) > WEBSITE_MAX:
        return f"Use at most {WEBSITE_MAX} characters for the web site."
    if website and not website.startswith(("https://", "http://")):
        return "Enter the web site as an address starting with https://."
    email = request.admin_email.strip()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or len(email) > 320:
        return f"“{email[:320]}” is not an e-mail address."
    return None


def set_up(request: SetupRequest) -> tuple[Jurisdiction, User]:
    """Create the jurisdiction and its first admin (audited); flushes, never commits."""
    if refusal := already_set_up():
        raise SetupRefused(refusal)
    if problem := request_problem(request):
        raise SetupRefused(problem)
    admin = create_user(
        email=request.admin_email,
        password=request.admin_password,
        role=Role.ADMIN,
        name=request.admin_name.strip(),
    )
    jurisdiction = Jurisdiction(
        name=request.name.strip(),
        timezone=request.timezone.strip(),
        address=request.address.strip(),
        website=request.website.strip(),
        rules_preset=request.preset,
    )
    db.session.add(jurisdiction)
    db.session.flush()
    record_event(
        "jurisdiction.setup",
        jurisdiction,
        actor=admin,
        details={
            "name": jurisdiction.name,
            "timezone": jurisdiction.timezone,
            "address": jurisdiction.address,
            "website": jurisdiction.website,
            "rules_preset": jurisdiction.rules_preset.value,
            "admin_email": admin.email,
        },
    )
    return jurisdiction, admin
