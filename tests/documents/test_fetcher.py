"""The PDF renderer's fetcher serves the app's static files and blobs, and nothing else."""

import base64
import hashlib
import io
import socket
import subprocess
import threading
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError

from agenda.documents.fetcher import INTERNAL_BASE_URL, AppURLFetcher, RefusedURL
from agenda.documents.render import default_fetcher, render_pdf

PASSWD_LINE = "root:x:0:0"


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def png_bytes(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), color).save(out, format="PNG")
    return out.getvalue()


def page_html(head: str = "", body: str = "") -> str:
    return (
        f'<!doctype html><html lang="en"><head><title>Test</title>{head}</head>'
        f"<body><h1>Agenda</h1>{body}</body></html>"
    )


@pytest.fixture
def static(tmp_path: Path) -> Path:
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "print.css").write_text('h1::before { content: "STYLED-BY-STATIC-CSS "; }')
    (tmp_path / "outside.css").write_text('h1::after { content: " LEAKED-FROM-OUTSIDE"; }')
    (folder / "css" / "link.css").symlink_to(tmp_path / "outside.css")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    return folder


class Listener:
    """A real TCP server on a random loopback port that records every connection."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.sendall(b"HTTP/1.0 302 Found\r\nLocation: file:///etc/passwd\r\n\r\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def hostile_html(port: int) -> str:
    return page_html(
        head=(
            '<link rel="stylesheet" href="/static/css/print.css">'
            '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/redirect.css">'
            '<link rel="stylesheet" href="/static/css/link.css">'
            '<link rel="attachment" href="file:///etc/passwd">'
            '<style>@import url("file:///etc/passwd");</style>'
        ),
        body=(
            '<img src="file:///etc/passwd" alt="">'
            '<img src="http://169.254.169.254/latest/meta-data/" alt="">'
            f'<img src="http://127.0.0.1:{port}/redirect?to=file:///etc/passwd" alt="">'
            '<img src="/static/passwd.txt" alt="">'
            '<img src="https://agenda.invalid@127.0.0.1:9/static/css/print.css" alt="">'
            '<a rel="attachment" href="file:///etc/hostname">x</a>'
        ),
    )


def test_hostile_urls_are_refused_and_nothing_leaks(static, listener):
    fetcher = default_fetcher(static)
    pdf = render_pdf(hostile_html(listener.port), base_url=INTERNAL_BASE_URL, fetcher=fetcher)

    for url in (
        "http://127.0.0.1:9/x.css",
        f"http://127.0.0.1:{listener.port}/redirect.css",
        f"http://127.0.0.1:{listener.port}/redirect?to=file:///etc/passwd",
        "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/",
        "https://agenda.invalid/static/css/link.css",
        "https://agenda.invalid/static/passwd.txt",
        "https://agenda.invalid@127.0.0.1:9/static/css/print.css",
        "file:///etc/hostname",
    ):
        assert url in fetcher.refused
    # The stylesheet import, the <img> and the <link rel="attachment">.
    assert fetcher.refused.count("file:///etc/passwd") == 3
    assert listener.connections == 0

    text = pdf_text(pdf)
    assert PASSWD_LINE not in text
    assert "LEAKED-FROM-OUTSIDE" not in text
    assert "STYLED-BY-STATIC-CSS Agenda" in text
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert dict(document.attachments) == {}
        annotations = [a for page in document.pages for a in page.obj.get("/Annots", [])]
        assert not [a for a in annotations if a.get("/Subtype") == "/FileAttachment"]


def test_listener_sees_the_stock_fetcher_connect(static, listener):
    # Control: the same HTML through WeasyPrint's own fetcher does connect.
    html = page_html(body=f'<img src="http://127.0.0.1:{listener.port}/x.png" alt="">')
    fetcher = URLFetcher(timeout=2)
    HTML(string=html, base_url=INTERNAL_BASE_URL, url_fetcher=fetcher).write_pdf()
    assert listener.connections == 1


def test_static_and_blob_resources_are_served(static):
    blob = png_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    loads = []

    def load(sha: str) -> bytes | None:
        loads.append(sha)
        return blob if sha == digest else None

    fetcher = AppURLFetcher(static, load)
    missing = "0" * 64
    html = page_html(
        head='<link rel="stylesheet" href="static/css/print.css?v=3">',
        body=f'<img src="/blobs/{digest}" alt="seal"><img src="/blobs/{missing}" alt="">',
    )
    pdf = render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)

    assert fetcher.refused == []
    assert loads == [digest, missing]
    assert fetcher.missing == [f"https://agenda.invalid/blobs/{missing}"]
    assert "STYLED-BY-STATIC-CSS" in pdf_text(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages[0].get_images()) == 1


def test_data_urls_are_served_for_images_only(static):
    png = base64.b64encode(png_bytes()).decode()
    css = "data:text/css,h1::before{content:'FROM-DATA-CSS'}"
    html = page_html(
        head=f'<link rel="stylesheet" href="{css}">',
        body=f'<img src="data:image/png;base64,{png}" alt="dot">',
    )
    fetcher = default_fetcher(static)
    pdf = render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)

    assert fetcher.refused == [css]
    assert "FROM-DATA-CSS" not in pdf_text(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages[0].get_images()) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://agenda.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://agenda.invalid/static/..%2f..%2fetc/passwd",
        "https://agenda.invalid/static//etc/passwd",
        "https://agenda.invalid/static/css/..\\..\\x",
        "https://agenda.invalid/static/css/%00print.css",
        "https://agenda.invalid:8443/static/css/print.css",
        "http://agenda.invalid/static/css/print.css",
        "https://user@agenda.invalid/static/css/print.css",
        "https://agenda.invalid/blobs/ABC",
        "https://agenda.invalid/blobs/" + "a" * 64,  # no blob loader configured
        "https://agenda.invalid/meetings/1",
        "ftp://127.0.0.1/x",
        "file:///work/main/static/css/print.css",
        "agenda-static:/css/print.css",
        "data:text/html,<h1>x</h1>",
    ],
)
def test_fetch_refuses(static, url):
    fetcher = AppURLFetcher(static, None)
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused


def test_fetch_serves_a_static_file_with_its_type(static):
    response = AppURLFetcher(static, None).fetch(INTERNAL_BASE_URL + "static/css/print.css")
    assert response.content_type == "text/css"
    assert b"STYLED-BY-STATIC-CSS" in response.read()


def test_render_is_tagged_by_default(static):
    def render(**options) -> pikepdf.Pdf:
        fetcher = default_fetcher(static)
        pdf = render_pdf(page_html(), base_url=INTERNAL_BASE_URL, fetcher=fetcher, **options)
        return pikepdf.open(io.BytesIO(pdf))

    with render() as tagged:
        assert "/StructTreeRoot" in tagged.Root
        assert str(tagged.Root.Lang) == "en"
        assert "pdfuaid:part" in tagged.open_metadata()
    with render(tagged=False) as untagged:
        assert "/StructTreeRoot" not in untagged.Root


def test_a_refused_color_profile_fails_the_render_closed(static):
    # WeasyPrint 70 fetches @color-profile outside its usual error handling, so
    # the refusal stops the render instead of dropping the rule: nothing leaks.
    html = page_html(head="<style>@color-profile --x { src: url(file:///etc/passwd) }</style>")
    fetcher = default_fetcher(static)
    with pytest.raises(URLFetchingError):
        render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)
    assert fetcher.refused == ["file:///etc/passwd"]


def test_urls_inside_an_svg_go_through_the_fetcher(static):
    (static / "seal.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="40" height="40"><image width="40" height="40" xlink:href="file:///etc/passwd"/>'
        '<image width="40" height="40" href="http://169.254.169.254/x.png"/></svg>'
    )
    fetcher = default_fetcher(static)
    html = page_html(body='<img src="/static/seal.svg" alt="City seal">')
    render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)
    assert fetcher.refused == ["file:///etc/passwd", "http://169.254.169.254/x.png"]


def test_render_refuses_to_run_without_the_app_fetcher():
    with pytest.raises(TypeError):
        render_pdf(page_html(), base_url=INTERNAL_BASE_URL, fetcher=None)
    with pytest.raises(TypeError):
        render_pdf(page_html(), base_url=INTERNAL_BASE_URL, fetcher=URLFetcher())
