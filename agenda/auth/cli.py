"""`flask users ...`: create, list, disable and enable users; set passwords (never as arguments)."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa

from agenda.auth.models import User
from agenda.auth.operations import (
    AuthError,
    create_user,
    disable_user,
    enable_user,
    find_user,
    set_password,
)
from agenda.auth.rules import Role
from agenda.extensions import db


def _read_password() -> str:
    # A password on the command line would end up in shell history and `ps`.
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.group()
def users() -> None:
    """Manage the people who can sign in."""


@users.command("create")
@click.option("--email", required=True, help="E-mail address used to sign in.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default="", help="Display name.")
@click.option("--person-id", type=int, help="The person a commissioner's login belongs to.")
def create_command(email: str, role: str, name: str, person_id: int | None) -> None:
    """Create a user; the password is asked for, or read from standard input."""
    try:
        user = create_user(
            email=email, password=_read_password(), role=Role(role), name=name, person_id=person_id
        )
    except AuthError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")


@users.command("list")
def list_command() -> None:
    """List users with their role."""
    for user in db.session.execute(sa.select(User).order_by(User.email)).scalars():
        state = " (disabled)" if not user.is_enabled else ""
        state += " (invited)" if not user.has_password else ""
        click.echo(f"{user.id}\t{user.email}\t{user.role.value}{state}")


@users.command("set-password")
@click.option("--email", required=True)
def set_password_command(email: str) -> None:
    """Set a user's password (asked for, or read from standard input); signs them out."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user with the e-mail address {email}.")
    try:
        set_password(user, _read_password(), actor=None)
    except AuthError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Password changed for {user.email}; their sessions are ended.")


def _user_named(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user with the e-mail address {email}.")
    return user


@users.command("disable")
@click.option("--email", required=True)
def disable_command(email: str) -> None:
    """Disable a user: they cannot sign in, and their sessions end at once."""
    user = _user_named(email)
    try:
        changed = disable_user(user, actor=None)
    except AuthError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    if changed:
        click.echo(f"Disabled {user.email}; their sessions are ended.")
    else:
        click.echo(f"{user.email} was already disabled.")


@users.command("enable")
@click.option("--email", required=True)
def enable_command(email: str) -> None:
    """Enable a disabled user again."""
    user = _user_named(email)
    changed = enable_user(user, actor=None)
    db.session.commit()
    if changed:
        click.echo(f"Enabled {user.email}; they can sign in again.")
    else:
        click.echo(f"{user.email} was already enabled.")
