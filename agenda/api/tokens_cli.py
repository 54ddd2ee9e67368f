"""`flask tokens ...`: make, list and revoke API tokens; a token's secret is printed once."""

from __future__ import annotations

from datetime import date, datetime

import click
import sqlalchemy as sa

from agenda.auth.models import ApiToken
from agenda.auth.operations import find_user
from agenda.auth.queries import local_zone, token_rows
from agenda.auth.rules import TokenScope, token_expiry
from agenda.auth.tokens import PREFIX, SHOWN, create_token, digest, revoke_token
from agenda.errors import Refused
from agenda.extensions import db


@click.group()
def tokens() -> None:
    """Manage the API tokens of clerks and admins."""


@tokens.command("create")
@click.option("--user", "email", required=True, help="E-mail address of the clerk or admin.")
@click.option("--name", required=True, help="What will use the token, such as 'web site'.")
@click.option(
    "--scope",
    type=click.Choice([s.value for s in TokenScope]),
    default=TokenScope.READ.value,
    show_default=True,
    help="read, or write (read and write).",
)
@click.option("--body", "body_ids", type=int, multiple=True, help="Limit to this body (repeat).")
@click.option(
    "--expires",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The last day it works (YYYY-MM-DD), in the city's time zone.",
)
def create_command(
    email: str, name: str, scope: str, body_ids: tuple[int, ...], expires: datetime | None
) -> None:
    """Make a token and print its secret, once: only a fingerprint of it is kept."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user with the e-mail address {email}.")
    last_day = expires.date() if expires is not None else None
    try:
        token, secret = create_token(
            user, name=name, scope=TokenScope(scope), body_ids=body_ids,
            expires_at=_expiry(last_day), actor=None,
        )  # fmt: skip
    except Refused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(f"Made the token {token.prefix}… '{token.name}' for {user.email}.", err=True)
    click.echo("Copy the secret now: it is never shown again.", err=True)
    click.echo(secret)


def _expiry(last_day: date | None) -> datetime | None:
    return token_expiry(last_day, local_zone()) if last_day is not None else None


@tokens.command("list")
@click.option("--user", "email", help="Only this user's tokens.")
def list_command(email: str | None) -> None:
    """List tokens: prefix, name, holder, scope, bodies, created, expires, last used, state."""
    holder_id = None
    if email is not None:
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"No user with the e-mail address {email}.")
        holder_id = user.id
    rows = token_rows(holder_id)
    if not rows:
        click.echo("No API tokens.")
        return
    click.echo("prefix\tname\tholder\tscope\tbodies\tcreated\texpires\tlast used\tstate")
    for row in rows:
        fields = [
            row.token.prefix, row.token.name, row.holder, row.scope, row.bodies, row.created,
            row.expires, row.last_used, row.state,
        ]  # fmt: skip
        click.echo("\t".join(fields))


@tokens.command("revoke")
@click.argument("prefix")
def revoke_command(prefix: str) -> None:
    """Revoke the token whose prefix (as `list` shows it) starts with PREFIX."""
    token = _token_named(prefix.strip())
    try:
        revoke_token(token, actor=None)
    except Refused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    click.echo(f"Revoked {token.prefix}… '{token.name}' of {token.user.email}.")


def _token_named(given: str) -> ApiToken:
    """Return the one token `given` names: a whole secret, or the start of a shown prefix."""
    if len(given) < len(PREFIX) + 2 or not given.startswith(PREFIX):
        raise click.ClickException(
            f"Give the token's prefix as `flask tokens list` shows it, such as {PREFIX}AbC123."
        )
    select = sa.select(ApiToken)
    if len(given) > SHOWN:  # a whole secret pasted in
        select = select.where(ApiToken.token_sha256 == digest(given))
    else:
        # Compared exactly: SQLite's LIKE ignores case, and prefixes differ by case.
        select = select.where(sa.func.substr(ApiToken.prefix, 1, len(given)) == given)
    found = list(db.session.execute(select.order_by(ApiToken.id)).scalars())
    usable = [t for t in found if t.revoked_at is None]
    if not found:
        raise click.ClickException(f"No token starts with {given}.")
    if len(usable) > 1:
        shown = ", ".join(f"{t.prefix} ({t.name})" for t in usable)
        raise click.ClickException(
            f"{given} starts {len(usable)} tokens: {shown}. Give more of the prefix."
        )
    return usable[0] if usable else found[0]
