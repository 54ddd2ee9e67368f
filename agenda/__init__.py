"""Agenda: meetings, legislation, roll-call votes and minutes for a city commission."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from agenda import admin, api, clerk, models, once  # noqa: F401  (models registers every table on the metadata)
from agenda.admin import cli as admin_cli
from agenda.api import export_cli, tokens_cli
from agenda.api import manage as api_manage
from agenda.api import updated as api_updated
from agenda.api.legistar import cli as legistar_cli
from agenda.audit import cli as audit_cli
from agenda.auth import cli as auth_cli
from agenda.auth import passwords, sessions
from agenda.auth import views as auth_views
from agenda.bodies import facts as bodies_facts
from agenda.config import ROOT, instance_path, load_config
from agenda.db import render_item
from agenda.demo import cli as demo_cli
from agenda.extensions import csrf, db, end_reading, limiter, login_manager, migrate
from agenda.matters import manage as matters_manage
from agenda.matters import subscriptions as matters_subscriptions
from agenda.matters import views as matters_views
from agenda.meetings import facts as meetings_facts
from agenda.meetings import manage as meetings_manage
from agenda.meetings import views as meetings_views
from agenda.members import subscriptions as members_subscriptions
from agenda.members import views as members_views
from agenda.minutes import facts as minutes_facts
from agenda.minutes import manage as minutes_manage
from agenda.minutes import subscriptions as minutes_subscriptions
from agenda.minutes import views as minutes_views
from agenda.portal import bodies as portal_bodies  # noqa: F401 (routes on portal's blueprint)
from agenda.portal import errors, filters, guards, headers
from agenda.portal import feeds as portal_feeds
from agenda.portal import people as portal_people
from agenda.portal import record as portal_record
from agenda.portal import views as portal_views
from agenda.search import cli as search_cli
from agenda.search import index as search_index
from agenda.search import views as search_views
from agenda.votes import facts as votes_facts
from agenda.votes import manage as votes_manage


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the WSGI app from defaults, the environment and `config` overrides."""
    app = Flask(
        __name__,
        instance_path=str(instance_path()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(config))
    if app.config["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    db.init_app(app)
    app.teardown_request(end_reading)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, render_item=render_item
    )
    csrf.init_app(app)
    once.init_app(app)
    limiter.init_app(app)
    auth_views.init_login(login_manager)
    login_manager.init_app(app)
    passwords.init_app(app)
    sessions.init_app(app)

    # Higher areas hear what lower ones report (connecting again is harmless).
    matters_subscriptions.connect()
    minutes_subscriptions.connect()
    members_subscriptions.connect()
    search_index.connect()  # the search index follows every commit's changes
    api_updated.connect()  # meetings and matters say when anything of theirs last changed
    # Every area with facts in the audit chain answers `flask verify`'s replay.
    for facts in (bodies_facts, meetings_facts, votes_facts, minutes_facts):
        facts.connect()

    guards.register(app)  # before any route: its `int` converter refuses ids no column holds
    app.register_blueprint(portal_views.bp)
    app.register_blueprint(portal_record.bp)
    app.register_blueprint(portal_feeds.bp)
    app.register_blueprint(portal_people.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(meetings_views.bp)
    app.register_blueprint(matters_views.bp)
    app.register_blueprint(minutes_views.bp)
    app.register_blueprint(members_views.bp)
    app.register_blueprint(search_views.bp)
    staff_screens = [
        meetings_manage.bp,
        matters_manage.bp,
        votes_manage.bp,
        minutes_manage.bp,
        api_manage.bp,
    ]
    app.register_blueprint(clerk.blueprint(staff_screens))
    app.register_blueprint(admin.blueprint())
    app.register_blueprint(api.blueprint())
    errors.register(app)
    filters.register(app)
    headers.register(app)
    app.cli.add_command(auth_cli.users)
    app.cli.add_command(tokens_cli.tokens)
    app.cli.add_command(demo_cli.demo)
    app.cli.add_command(audit_cli.verify)
    app.cli.add_command(audit_cli.backup)
    app.cli.add_command(audit_cli.restore)
    app.cli.add_command(admin_cli.setup)
    app.cli.add_command(search_cli.search)
    app.cli.add_command(export_cli.export_group)
    app.cli.add_command(legistar_cli.import_group)
    return app
