"""The OCD export as files: one JSON file per object and a manifest, in a folder or a zip.

Both are built from one stream of (name, bytes), so the command's folder and the bulk
download hold the same names and the same bytes. Nothing in them depends on when they were
made: the same record exports to the same bytes, byte for byte, on any server.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from agenda.api import export, ocd

MANIFEST = "manifest.json"
# Files an earlier export wrote: removed from the folder when the record no longer has them.
_EXPORTED = re.compile(rf"^(?:{'|'.join(export.KINDS)})_.+\.json$")
# Zip entries carry no time of their own, so the same record zips to the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)


class Bar(Protocol):
    def update(self, n_steps: int) -> None: ...


Progress = Callable[[str, int], AbstractContextManager[Bar]]


class _Quiet:
    def update(self, n_steps: int) -> None:
        pass


def _no_progress(kind: str, total: int) -> AbstractContextManager[Bar]:
    return nullcontext(_Quiet())


def encode(obj: dict[str, Any]) -> bytes:
    """Return an object's file: sorted keys, two-space indent, UTF-8, a final newline."""
    return (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def export_files(
    scope: export.Scope, progress: Progress = _no_progress
) -> Iterator[tuple[str, bytes]]:
    """Yield every file of the export, kind by kind, then the manifest with the counts."""
    ids = export.ids()
    totals = export.totals(scope)
    counts = dict.fromkeys(export.KINDS, 0)
    parts = {"agenda_item": 0, "ballot": 0}
    for kind in export.KINDS:
        with progress(kind, totals[kind]) as bar:
            for obj in export.objects(kind, scope, ids):
                counts[kind] += 1
                parts["agenda_item"] += len(obj.get("agenda", ())) if kind == "event" else 0
                parts["ballot"] += len(obj.get("votes", ())) if kind == "vote_event" else 0
                yield ocd.file_name(kind, obj["id"]), encode(obj)
                bar.update(1)
    manifest = {
        "format": "Open Civic Data, one file per object as pupa writes them",
        "jurisdiction_id": ids.jurisdiction,
        "body_id": scope.body_id,
        "counts": counts,
        "contains": parts,
    }
    yield MANIFEST, encode(manifest)


def write_directory(
    folder: Path, scope: export.Scope, progress: Progress = _no_progress
) -> dict[str, Any]:
    """Write the export into `folder` and return its manifest.

    Files of an earlier export that this one no longer has (a record removed) are deleted;
    no other file in the folder is touched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    manifest: bytes = b""
    for name, data in export_files(scope, progress):
        (folder / name).write_bytes(data)
        written.add(name)
        manifest = data
    for stale in folder.iterdir():
        if stale.is_file() and _EXPORTED.match(stale.name) and stale.name not in written:
            stale.unlink()
    return json.loads(manifest)


def build_zip(scope: export.Scope) -> bytes:
    """Return the export as one zip: the same names and bytes as `write_directory`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in export_files(scope):
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3  # Unix, wherever it is made
            archive.writestr(entry, data)
    return buffer.getvalue()
