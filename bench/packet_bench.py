"""Time the packet merge against qpdf's CLI, measure its peak memory and an agenda render."""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agenda.documents.fetcher import INTERNAL_BASE_URL  # noqa: E402
from agenda.documents.packet import PacketEntry, merge_packet  # noqa: E402
from agenda.documents.render import default_fetcher, render_pdf  # noqa: E402
from bench.app_agenda import app_agenda_render_times  # noqa: E402

ATTACHMENTS = 40
PAGES = 12
AGENDA_ITEMS = 60
RUNS = 3
VOCABULARY = (
    "city commission resolution ordinance attorney authorize declaratory judgment "
    "agreement enforcement budget fiscal impact staff recommends approval public "
    "hearing second reading motion seconded roll call district harbor utilities "
    "stormwater parking easement contract amendment grant funding department"
)
WORDS = VOCABULARY.split()
STYLE = """<style>
@page { size: letter; margin: 0.9in 0.8in; @bottom-center { content: counter(page) } }
body { font: 10.5pt/1.4 serif; }
section { break-after: page; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; }
</style>"""


def _prose(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def attachment_html(number: int) -> str:
    """Return a staff report whose every section fills one page."""
    rng = random.Random(number)
    sections = [
        f"<section><h2>Section {page}</h2>"
        + "".join(f"<p>{_prose(rng, 80)}</p>" for _ in range(3))
        + "</section>"
        for page in range(1, PAGES + 1)
    ]
    return (
        f'<!doctype html><html lang="en"><head><title>Staff report {number}</title>{STYLE}'
        f"</head><body><h1>Staff report {number}</h1>{''.join(sections)}</body></html>"
    )


def agenda_html(items: int) -> str:
    """Return an agenda of `items` items with titles, sponsors and recommendations."""
    rng = random.Random(0)
    rows = "".join(
        f"<h2>{n}. Resolution 25-{200 + n}</h2><p><strong>{_prose(rng, 18)}</strong></p>"
        f"<p>Sponsor: Commissioner {rng.choice(['Kaufman', 'Wardlow', 'Henriquez'])}</p>"
        f"<p>{_prose(rng, 45)}</p>"
        for n in range(1, items + 1)
    )
    return (
        f'<!doctype html><html lang="en"><head><title>Agenda</title>{STYLE}</head>'
        f"<body><h1>City Commission regular meeting</h1>{rows}</body></html>"
    )


def render(html: str) -> bytes:
    """Render through the app's renderer and fetcher."""
    fetcher = default_fetcher(ROOT / "static")
    return render_pdf(html, base_url=INTERNAL_BASE_URL, fetcher=fetcher)


def make_files(folder: Path) -> tuple[Path, list[Path]]:
    """Write the agenda and the attachments to `folder` and return their paths."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        pdfs = list(pool.map(render, [attachment_html(n) for n in range(1, ATTACHMENTS + 1)]))
    paths = []
    for number, pdf in enumerate(pdfs, start=1):
        path = folder / f"attachment-{number:02}.pdf"
        path.write_bytes(pdf)
        paths.append(path)
    agenda = folder / "agenda.pdf"
    agenda.write_bytes(render(agenda_html(AGENDA_ITEMS)))
    return agenda, paths


def merge_files(agenda: Path, paths: list[Path]) -> tuple[float, int]:
    """Merge the files through the app's code; return seconds and page count."""
    entries = [
        PacketEntry(f"{n}. Resolution 25-{200 + n}", [(path.stem, path.read_bytes())])
        for n, path in enumerate(paths, start=1)
    ]
    agenda_pdf = agenda.read_bytes()
    start = time.perf_counter()
    result = merge_packet(agenda_pdf, entries, stamp="City Commission, 2025-03-04")
    return time.perf_counter() - start, result.page_count


# Measures a command's peak RSS from a small process of its own: a child's
# ru_maxrss also counts the image it was forked from, and this script is big.
LAUNCHER = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
print("peak-kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
# The merge in a fresh process with the app's imports, as a worker runs it.
MERGE_CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from agenda.documents.packet import PacketEntry, merge_packet
agenda, *paths = map(Path, sys.argv[2:])
entries = [PacketEntry(p.stem, [(p.stem, p.read_bytes())]) for p in paths]
rss = next(line for line in open("/proc/self/status") if line.startswith("VmRSS"))
print("before-kb", rss.split()[1])
merge_packet(agenda.read_bytes(), entries, stamp="City Commission, 2025-03-04")
"""


def peak_rss(args: list[str]) -> dict[str, int]:
    """Run a command through the launcher; return the MB figures printed by both."""
    output = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *args], check=True, capture_output=True, text=True
    ).stdout
    figures = (line.split() for line in output.splitlines() if line.endswith(tuple("0123456789")))
    return {key: int(value) // 1024 for key, value in figures}


def npages(path: Path) -> int:
    """Count pages with qpdf."""
    args = ["qpdf", "--show-npages", str(path)]
    return int(subprocess.run(args, capture_output=True, check=True).stdout)


def main() -> None:
    """Generate the files, then print render time, merge times and ratio, and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        agenda, paths = make_files(folder)
        elapsed = time.perf_counter() - start
        print(f"generated {ATTACHMENTS} PDFs of {npages(paths[0])} pages in {elapsed:.1f} s")

        pages, renders = app_agenda_render_times(folder, AGENDA_ITEMS, RUNS)
        print(
            f"agenda PDF through the app (render_agenda_pdf), {AGENDA_ITEMS} items, "
            f"{pages} pages, tagged: {statistics.median(renders):.2f} s"
        )

        merges = [merge_files(agenda, paths) for _ in range(RUNS)]
        out = folder / "qpdf-out.pdf"
        qpdf = ["qpdf", "--empty", "--pages", str(agenda), *map(str, paths), "--", str(out)]
        qpdf_times = [timed(subprocess.run, qpdf, check=True) for _ in range(RUNS)]
        qpdf_rss = peak_rss(qpdf)
        child = [sys.executable, "-c", MERGE_CHILD, str(ROOT), str(agenda), *map(str, paths)]
        app_rss = peak_rss(child)

        app = statistics.median(seconds for seconds, _ in merges)
        cli = statistics.median(qpdf_times)
        print(f"merge_packet, {merges[0][1]} pages, stamped and bookmarked: {app:.2f} s")
        print(f"qpdf --empty --pages, {npages(out)} pages: {cli:.2f} s")
        print(f"ratio app/qpdf: {app / cli:.2f}")
        print(
            f"peak RSS: merge_packet {app_rss['peak-kb']} MB "
            f"({app_rss['before-kb']} MB before merging: interpreter, app imports, inputs), "
            f"qpdf {qpdf_rss['peak-kb']} MB"
        )


def timed(function, *args, **kwargs) -> float:
    """Return the seconds one call takes."""
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
