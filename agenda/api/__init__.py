"""The JSON API at /api/v1: the record to read for everyone, to write with an API token.

Every resource module registers its routes on `core.bp` (and describes them for the OpenAPI
document) when imported; `blueprint()` imports them all and returns the one blueprint.
"""

from __future__ import annotations

from flask import Blueprint


def blueprint() -> Blueprint:
    """Return the /api/v1 blueprint with every resource's routes on it."""
    from agenda.api import core, docs, root, spec  # noqa: F401  (each module's routes join core.bp)

    return core.bp
