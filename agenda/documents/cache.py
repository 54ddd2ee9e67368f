"""An in-process cache of public, content-addressed documents: bytes that can never change."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CachedDocument:
    data: bytes
    filename: str
    last_modified: datetime | None


class DocumentCache:
    """Least-recently-used documents up to a total size; safe because a digest names its bytes.

    Only documents the public may see are put here. Bytes named by a digest never change,
    but a document can stop being public (the demo's meetings are removed, say), and a
    removal made through one worker never reaches another's memory: so the cache holds only
    bytes, and the caller asks the database whether a document may still be served before
    every `get`. App servers share no state that matters.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, CachedDocument] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, digest: str) -> CachedDocument | None:
        """Return the cached document, marking it recently used."""
        with self._lock:
            entry = self._entries.get(digest)
            if entry is not None:
                self._entries.move_to_end(digest)
            return entry

    def discard(self, digest: str) -> None:
        """Forget a document, if kept."""
        with self._lock:
            entry = self._entries.pop(digest, None)
            if entry is not None:
                self._size -= len(entry.data)

    def put(self, digest: str, entry: CachedDocument) -> None:
        """Keep a document, evicting the least recently used beyond the size limit."""
        if len(entry.data) > self.max_bytes // 4:
            return
        with self._lock:
            if digest in self._entries:
                return
            self._entries[digest] = entry
            self._size += len(entry.data)
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.data)
