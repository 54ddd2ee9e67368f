"""Matter rules: file numbers, types and statuses of legislation."""

from __future__ import annotations

from enum import StrEnum


class MatterType(StrEnum):
    RESOLUTION = "resolution"
    ORDINANCE = "ordinance"
    PROCLAMATION = "proclamation"
    REPORT = "report"


class MatterStatus(StrEnum):
    DRAFT = "draft"
    FILED = "filed"
    ON_AGENDA = "on_agenda"
    ADOPTED = "adopted"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


class MatterAction(StrEnum):
    FILED = "filed"
    PLACED_ON_AGENDA = "placed_on_agenda"
    FIRST_READING = "first_reading"
    SECOND_READING = "second_reading"
    CONTINUED = "continued"
    TABLED = "tabled"
    AMENDED = "amended"
    ADOPTED = "adopted"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


FILE_PREFIXES = {
    MatterType.RESOLUTION: "Res",
    MatterType.ORDINANCE: "Ord",
    MatterType.PROCLAMATION: "Proc",
    MatterType.REPORT: "Rpt",
}

TYPE_NAMES = {
    MatterType.RESOLUTION: "Resolution",
    MatterType.ORDINANCE: "Ordinance",
    MatterType.PROCLAMATION: "Proclamation",
    MatterType.REPORT: "Report",
}


def file_number(matter_type: MatterType, year: int, sequence: int) -> str:
    """Return the printed file number: a resolution of 2025, 214th of its year -> 'Res 25-214'."""
    return f"{FILE_PREFIXES[matter_type]} {year % 100:02d}-{sequence:03d}"
