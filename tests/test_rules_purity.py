"""Every agenda/**/rules.py is pure: no flask or sqlalchemy, and only pure agenda modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "agenda"
RULES = sorted(PACKAGE.glob("**/rules.py"))
# Base helpers with no dependencies of their own that rules may use (some may come later).
PURE_HELPERS = {"agenda.errors", "agenda.timefmt", "agenda.text"}
FRAMEWORKS = ("flask", "sqlalchemy")


def module_name(path: Path) -> str:
    """Return the dotted name of a module file under the repository root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Tell whether a dotted name under agenda/ is a module or package in the tree."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(source: str, name: str) -> set[str]:
    """Return the absolute names of the modules that the module `name` imports."""
    package = name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from agenda.votes import rules` imports the module agenda.votes.rules;
                # the pure helpers count as modules before they exist.
                candidate = f"{base}.{alias.name}"
                found.add(candidate if is_module(candidate) or candidate in PURE_HELPERS else base)
    return found


def impurities(source: str, name: str) -> list[str]:
    """Return the imports that keep the module `name` from being pure rules."""
    allowed = {module_name(path) for path in RULES} | PURE_HELPERS
    refused = []
    for module in sorted(imported_modules(source, name)):
        top = module.split(".")[0]
        if top in FRAMEWORKS or top.startswith(tuple(f"{f}_" for f in FRAMEWORKS)):
            refused.append(f"{module} (a framework)")
        elif top == "agenda" and module not in allowed:
            refused.append(f"{module} (not a rules module nor a pure helper)")
    return refused


def test_every_area_with_rules_is_found() -> None:
    names = {module_name(path) for path in RULES}
    assert {"agenda.votes.rules", "agenda.meetings.rules", "agenda.matters.rules"} <= names


@pytest.mark.parametrize("path", RULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_rules_import_neither_frameworks_nor_impure_agenda_modules(path: Path) -> None:
    assert impurities(path.read_text(), module_name(path)) == []


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("import flask", ["flask (a framework)"]),
        ("from sqlalchemy.orm import Session", ["sqlalchemy.orm (a framework)"]),
        ("import flask_sqlalchemy", ["flask_sqlalchemy (a framework)"]),
        ("def f():\n    from flask import g", ["flask (a framework)"]),
        (
            "from agenda.votes.models import Vote",
            ["agenda.votes.models (not a rules module nor a pure helper)"],
        ),
        ("from agenda import db", ["agenda.db (not a rules module nor a pure helper)"]),
        ("from . import models", ["agenda.votes.models (not a rules module nor a pure helper)"]),
        (
            "from ..extensions import db",
            ["agenda.extensions (not a rules module nor a pure helper)"],
        ),
        ("from agenda import create_app", ["agenda (not a rules module nor a pure helper)"]),
        ("from agenda.meetings.rules import MeetingStatus", []),
        ("from agenda.meetings import rules", []),
        ("from ..meetings.rules import MeetingStatus", []),
        ("from agenda.errors import Refused\nfrom agenda import timefmt, text", []),
        ("import hashlib\nfrom dataclasses import dataclass", []),
    ],
)
def test_the_check_refuses_what_it_should(source: str, refused: list[str]) -> None:
    assert impurities(source, "agenda.votes.rules") == refused
