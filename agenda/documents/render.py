"""Render HTML to PDF with WeasyPrint through the app's locked-down fetcher."""

from pathlib import Path

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from agenda.documents.fetcher import INTERNAL_BASE_URL, AppURLFetcher, BlobLoader

# One per process: it keeps the fonts of @font-face rules, fetched, decoded
# and written to its temporary folder once instead of on every render.
FONT_CONFIG = FontConfiguration()


def default_fetcher(static_folder: Path, blob_loader: BlobLoader | None = None) -> AppURLFetcher:
    """Build the fetcher that serves only the app's static files and blobs."""
    return AppURLFetcher(static_folder, blob_loader, base_url=INTERNAL_BASE_URL)


def render_pdf(html: str, *, base_url: str, fetcher: AppURLFetcher, tagged: bool = True) -> bytes:
    """Render an HTML document to PDF bytes, tagged for PDF/UA-1 unless told not to."""
    # WeasyPrint falls back to its own fetcher, which reads files and follows
    # redirects, when given none.
    if not isinstance(fetcher, AppURLFetcher):
        raise TypeError("render_pdf needs the app's AppURLFetcher")
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(font_config=FONT_CONFIG, pdf_variant="pdf/ua-1" if tagged else None)
