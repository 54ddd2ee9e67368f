"""Read a form off a page as a browser would submit it, and the error shown beside a field."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, Any] = dict(attrs)
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind not in ("checkbox", "radio") or "checked" in found:
                self.values[name] = found.get("value") or ""
        elif tag == "select":
            self.select, self.first_option = name, None
        elif tag == "option" and self.select:
            value = found.get("value") or ""
            if self.first_option is None:
                self.first_option = value
                self.values.setdefault(self.select, value)
            if "selected" in found:
                self.values[self.select] = value
        elif tag == "textarea":
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea:
                # HTML drops the newline right after <textarea>.
                text = self.values[self.textarea]
                self.values[self.textarea] = text.removeprefix("\r").removeprefix("\n")
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.inside and self.textarea:
            self.values[self.textarea] += data


def form_values(html: str, form_id: str) -> dict[str, str]:
    """Return what submitting the form `form_id` of `html` unchanged would send."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return {k: v.replace("\r\n", "\n") for k, v in reader.values.items()}


def error_beside(html: str, field: str) -> str:
    """Return the error message shown beside a field ('' when there is none)."""
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">(.*?)</p>', html, re.S)
    return unescape(found.group(1)).strip() if found else ""
