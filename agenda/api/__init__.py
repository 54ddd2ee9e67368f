"""The JSON API at /api/v1: the record to read for everyone, to write with an API token.

Every resource module registers its routes on `core.bp` (and describes them for the OpenAPI
document) when imported; `blueprint()` imports them all and returns the one blueprint.
"""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    """Return the /api/v1 blueprint with every resource's routes on it."""
    # Each module's routes join core.bp when it is imported.
    from agenda.api import (  # noqa: F401
        bulk,
        core,
        docs,
        matters,
        meetings,
        people,
        root,
        spec,
        votes,
        write_agendas,
        write_matters,
        write_session,
    )

    return core.bp
