"""The bad-input corpus: what hostile or careless people type into forms and addresses."""

from __future__ import annotations

# The largest id: ids are INTEGER, 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1

# Put where an address takes an id (`<int:...>`): beyond 32 and 64 bits, and odd forms.
HUGE_IDS = [
    str(MAX_ID + 1),
    str(2**63),
    "99999999999999999999",
    "9" * 400,
]
ODD_IDS = ["0" * 30 + "1", "0", "-1", "+1", "1.5", "1e9", "0x10", "%00", "١٢٣"]

NUL = "Parks\x00 and recreation"
XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
]
SSRF = [
    "http://169.254.169.254/latest/meta-data/",
    "file:///etc/passwd",
    "http://127.0.0.1:5432/",
    "//evil.example/",
]
NUMBERS = [
    "0",
    "-1",
    "99999",
    str(MAX_ID),
    str(MAX_ID + 1),
    str(2**63),
    "9" * 40,
    "1_0" * 15,
    "1e308",
]
DATES = ["0000-00-00", "0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1899-12-31"]
TEXT = [
    "\u202egnp.exe",  # right-to-left override
    "مجلس المدينة",  # Arabic, right to left
    "市議会の議事録",  # CJK
    "Ǳ̵̡̛̘̤̮ž̷",  # combining marks
    "\U0001f3db\ufe0f",  # emoji
    "x" * 100_000,
]

# Every value to put in a query string.
QUERY_VALUES = [*NUMBERS, *DATES, *XSS, *SSRF, *TEXT[:-1], "9" * 5000, NUL]
# Every query parameter a page reads (grep request.args), and a made-up one.
QUERY_NAMES = [
    "body",
    "year",
    "page",
    "section",
    "item",
    "all_yes",
    "a",
    "b",
    "on",
    "term",
    "preset",
    "next",
    "q",
    "type",
    "status",
    "sponsor",
    "when",
]
