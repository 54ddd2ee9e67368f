"""A WeasyPrint URL fetcher that serves only the app's static files and stored blobs."""

import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Reserved top-level domain (RFC 6761): never resolves, so a URL under it that
# escaped this fetcher still could not reach anything.
INTERNAL_BASE_URL = "https://agenda.invalid/"

BlobLoader = Callable[[str], bytes | None]

_BLOB_PATH = re.compile(r"/blobs/([0-9a-f]{64})")


class RefusedURL(ValueError):
    """A URL outside what the app serves to WeasyPrint."""


class AppURLFetcher(URLFetcher):
    """Serve `<base>static/<path>` from a folder and `<base>blobs/<sha256>` from a loader.

    Everything else is refused without any I/O: other hosts, ports and schemes
    (file:, http:, ftp:...), so no network connection and no redirect ever
    happens. `data:` URLs are allowed for images only (`data:image/...`): they
    carry their bytes inline and fetch nothing, and they keep small generated
    images (a seal, a QR code) working. Refusals raise `RefusedURL`, which
    WeasyPrint logs and treats as a missing resource (an image or stylesheet
    left out, a `<link rel="attachment">` not embedded); each refused URL is
    appended to `refused`, and allowed URLs that do not exist to `missing`.
    """

    def __init__(
        self,
        static_folder: Path,
        blob_loader: BlobLoader | None = None,
        *,
        base_url: str = INTERNAL_BASE_URL,
    ) -> None:
        # Empty allowed_protocols: should the parent's fetch ever be reached,
        # it refuses every URL too.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.static_root = Path(static_folder).resolve()
        self.blob_loader = blob_loader
        base = urlsplit(base_url)
        self._origin = (base.scheme.lower(), base.netloc.lower())
        self._prefix = base.path.rstrip("/")
        self.refused: list[str] = []
        self.missing: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the app resource at `url`, or raise `RefusedURL`."""
        if url[:5].lower() == "data:":
            return self._fetch_data(url)
        try:
            parts = urlsplit(url)
        except ValueError:
            raise self._refusal(url, "malformed URL") from None
        if (parts.scheme.lower(), parts.netloc.lower()) != self._origin:
            raise self._refusal(url, "not an app URL")
        path = unquote(parts.path)
        if not path.startswith(self._prefix + "/"):
            raise self._refusal(url, "outside the app's base path")
        path = path[len(self._prefix) :]
        if path.startswith("/static/"):
            return self._fetch_static(url, path.removeprefix("/static/"))
        if match := _BLOB_PATH.fullmatch(path):
            return self._fetch_blob(url, match[1])
        raise self._refusal(url, "not a static file or blob URL")

    def _fetch_static(self, url: str, relative: str) -> URLFetcherResponse:
        segments = relative.split("/")
        if any(s in ("", ".", "..") or "\\" in s or "\x00" in s for s in segments):
            raise self._refusal(url, "unsafe static path")
        target = self.static_root.joinpath(*segments).resolve()
        # resolve() follows symlinks, so a link pointing out of the folder fails here.
        if not target.is_relative_to(self.static_root):
            raise self._refusal(url, "static path leaves the static folder")
        if not target.is_file():
            raise self._missing(url)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, target.read_bytes(), headers={"Content-Type": content_type})

    def _fetch_blob(self, url: str, digest: str) -> URLFetcherResponse:
        if self.blob_loader is None:
            raise self._refusal(url, "no blob store configured")
        data = self.blob_loader(digest)
        if data is None:
            raise self._missing(url)
        # No Content-Type: WeasyPrint sniffs images by content.
        return URLFetcherResponse(url, data)

    def _fetch_data(self, url: str) -> URLFetcherResponse:
        try:
            # Only data: URLs reach here, and DataHandler decodes nothing else.
            response = request.DataHandler().data_open(request.Request(url))  # noqa: S310
        except (ValueError, request.URLError):
            raise self._refusal(url[:80], "malformed data: URL") from None
        content_type = response.headers.get_content_type()
        if not content_type.startswith("image/"):
            raise self._refusal(url[:80], "data: URLs are allowed for images only")
        return URLFetcherResponse(url, response.read(), headers={"Content-Type": content_type})

    def _refusal(self, url: str, reason: str) -> RefusedURL:
        self.refused.append(url)
        return RefusedURL(f"refused {url!r}: {reason}")

    def _missing(self, url: str) -> FileNotFoundError:
        self.missing.append(url)
        return FileNotFoundError(f"no such app resource: {url}")
