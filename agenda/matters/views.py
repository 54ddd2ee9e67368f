"""Public pages of legislation: one matter with its text, sponsors, documents and history."""

from flask import Blueprint

bp = Blueprint("matters", __name__)
