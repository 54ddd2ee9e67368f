"""A visitor's browser over plain HTTP: its own cookies, sent to whichever app server it asks,
and the real forms of the pages it loads (hidden fields and CSRF tokens included)."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie


@dataclass(frozen=True)
class Server:
    """One app server: a gunicorn on its own port."""

    name: str
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        """The path a redirect points to (without scheme and host)."""
        target = urllib.parse.urlsplit(self.headers.get("Location", ""))
        return target.path + (f"?{target.query}" if target.query else "")


class _Forms(HTMLParser):
    """Collect each form's action and the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str | None, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((dict(attrs).get("action"), self._fields))
        if self._fields is None:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in found:
                    self._fields[name] = found.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self._fields[name] = found.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._fields[name] = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self._fields[self._select] = found.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._fields is not None and self._textarea:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str | None) -> dict[str, str]:
    """Return what the page's form posting to `action` (None: to the page itself) submits."""
    parser = _Forms()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if form_action == action:
            return dict(fields)
    raise AssertionError(f"no form posting to {action!r} on the page")


@dataclass
class Visitor:
    """One browser: cookies kept as a browser keeps them (they name no port)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, server: Server, method: str, path: str, fields: dict[str, str] | None = None
    ) -> Answer:
        headers = {"Host": f"127.0.0.1:{server.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        finally:
            connection.close()
        self._keep(answer.headers.get_all("Set-Cookie") or [])
        return answer

    def get(self, server: Server, path: str) -> Answer:
        return self.request(server, "GET", path)

    def post(self, server: Server, path: str, fields: dict[str, str]) -> Answer:
        return self.request(server, "POST", path, fields)

    def submit(
        self, server: Server, page: str, action: str | None = None, **changes: str
    ) -> Answer:
        """Load `page` on `server`, fill its form posting to `action` with `changes`, send it."""
        shown = self.get(server, page)
        assert shown.status == 200, (server.name, page, shown.status)
        fields = form_fields(shown.text, action) | changes
        return self.post(server, action or page, fields)

    def _keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                gone = morsel["max-age"] == "0" or _expired(morsel["expires"])
                if gone or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _expired(expires: str) -> bool:
    if not expires:
        return False
    try:
        return time.mktime(time.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT")) < time.time()
    except ValueError:
        return False
