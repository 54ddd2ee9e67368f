"""Search's pure logic: what a query means, how its words reach SQLite FTS5, and snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class SearchKind(StrEnum):
    """What a search result is."""

    MEETING = "meeting"
    ITEM = "item"
    MATTER = "matter"
    MINUTES = "minutes"
    DOCUMENT = "document"


KIND_LABELS = {
    SearchKind.MEETING: "Meeting",
    SearchKind.ITEM: "Agenda item",
    SearchKind.MATTER: "Legislation",
    SearchKind.MINUTES: "Minutes",
    SearchKind.DOCUMENT: "Document",
}

# A query longer than this is cut: nobody types more, and FTS work grows with every term.
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Text kept per record: PostgreSQL refuses a tsvector over 1 MB; 200,000 characters is a
# 100-page document, and ranking and snippets need no more.
MAX_CONTENT_CHARS = 200_000
PAGE_SIZE = 20
MAX_PAGE = 500

# Snippet markers: private-use characters, removed from every indexed text, so a document
# can never forge a highlight (nor inject HTML: the page escapes everything else).
MARK_START = "\ue000"
MARK_END = "\ue001"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")
_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


_MARKDOWN = re.compile(r"(\*\*|__|(?m:^\s{0,3}(?:#{1,6}|>|[-*+])\s+))")


def plain_markdown(text: str) -> str:
    """Return Markdown source without its emphasis and heading marks, as readers see it."""
    return _MARKDOWN.sub("", text or "")


def clean_text(text: str, limit: int = MAX_CONTENT_CHARS) -> str:
    """Return text fit for the index: no control characters or markers, at most `limit` chars."""
    return _CONTROL.sub(" ", text or "")[:limit]


@dataclass(frozen=True)
class Term:
    """One thing the visitor asked for: a word or a quoted phrase, as its word tokens."""

    tokens: tuple[str, ...]
    is_excluded: bool = False
    is_alternative: bool = False  # joined to the previous term by OR


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the cleaned query, as PostgreSQL's websearch_to_tsquery reads it
    terms: tuple[Term, ...]
    was_cut: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(not t.is_excluded for t in self.terms)


def parse_query(raw: str) -> ParsedQuery:
    """Read a visitor's query: words, "quoted phrases", -excluded words and OR.

    Punctuation inside a word splits it into tokens that must follow each other, so
    "287(g)" asks for the phrase 287 g, as the index has tokenized the text.
    """
    text = " ".join(clean_text(raw or "", 10 * MAX_QUERY_CHARS).split())
    was_cut = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    terms: list[Term] = []
    alternative = False
    for match in _TERM.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None and word.upper() == "OR":
            alternative = bool(terms)
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            minus, word = "-", word[1:]
        tokens = tuple(t.lower() for t in _WORD.findall(phrase if word is None else word))
        if not tokens:
            continue
        terms.append(Term(tokens, is_excluded=bool(minus), is_alternative=alternative))
        alternative = False
        if len(terms) == MAX_TERMS:
            was_cut = True
            break
    return ParsedQuery(text=text, terms=tuple(terms), was_cut=was_cut)


def fts5_match(query: ParsedQuery) -> str:
    """Return an FTS5 MATCH expression for the query: every token quoted, so no syntax errors.

    Terms are ANDed, OR joins neighbours, excluded terms follow as NOT.
    """
    wanted = [t for t in query.terms if not t.is_excluded]
    excluded = [t for t in query.terms if t.is_excluded]
    groups: list[list[str]] = []
    for term in wanted:
        phrase = '"' + " ".join(term.tokens) + '"'
        if term.is_alternative and groups:
            groups[-1].append(phrase)
        else:
            groups.append([phrase])
    expression = " AND ".join(g[0] if len(g) == 1 else "(" + " OR ".join(g) + ")" for g in groups)
    for term in excluded:
        expression += ' NOT "' + " ".join(term.tokens) + '"'
    return expression


@dataclass(frozen=True)
class Segment:
    """A run of snippet text; `is_hit` when it matched the query (shown in <mark>)."""

    text: str
    is_hit: bool


def snippet_segments(snippet: str | None) -> list[Segment]:
    """Split a snippet with MARK_START/MARK_END markers into plain and highlighted runs."""
    segments: list[Segment] = []
    is_hit = False
    for piece in re.split(f"([{MARK_START}{MARK_END}])", snippet or ""):
        if piece == MARK_START:
            is_hit = True
        elif piece == MARK_END:
            is_hit = False
        elif piece:
            segments.append(Segment(piece, is_hit))
    return segments


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    """Return how many pages `total` results fill (at least one)."""
    return max(1, -(-total // page_size))
