"""Admin screens: bodies."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bodies", __name__, url_prefix="/bodies")
