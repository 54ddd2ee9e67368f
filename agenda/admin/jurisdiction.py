"""Admin screens: jurisdiction."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jurisdiction", __name__, url_prefix="/jurisdiction")
