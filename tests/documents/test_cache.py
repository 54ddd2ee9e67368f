"""The cache of public immutable documents: bounded, least recently used first out."""

from __future__ import annotations

from agenda.documents.cache import CachedDocument, DocumentCache


def doc(size: int) -> CachedDocument:
    return CachedDocument(b"x" * size, "a.pdf", None)


def test_least_recently_used_documents_leave_first():
    cache = DocumentCache(max_bytes=1000)
    cache.put("a", doc(200))
    cache.put("b", doc(200))
    cache.put("c", doc(200))
    assert cache.get("a") is not None  # "a" is now the most recently used
    cache.put("d", doc(200))
    cache.put("e", doc(200))  # 1000 bytes: the limit, nothing evicted yet
    cache.put("f", doc(200))  # over the limit: "b" goes, the least recently used
    assert cache.get("b") is None
    assert all(cache.get(k) is not None for k in "acdef")


def test_a_document_larger_than_a_quarter_of_the_cache_is_not_kept():
    cache = DocumentCache(max_bytes=1000)
    cache.put("big", doc(300))
    assert cache.get("big") is None
