"""The agreement matrix drawn as a heatmap: where each cell, label and legend entry goes.

Pure geometry and colour for templates/portal/_agreement.svg. Every cell prints its number,
so colour is never the only cue; text colours keep at least 4.5:1 contrast on their fill.
"""

from __future__ import annotations

from dataclasses import dataclass

from agenda.votes.agreement import Matrix

CELL = 52
GAP = 2
FONT = 14
# Wide enough for the widest glyphs of a name at FONT px; names are never cut short.
CHAR_WIDTH = 8.2
HEADER = 30
LEFT = 30
KEY_ROW = 22
LEGEND_ROW = 30
LEGEND_ENTRY = 150
DARK, LIGHT = "#1b1f24", "#ffffff"

# (lowest percent, fill, text colour, legend words), darker for more agreement.
BANDS = (
    (95, "#08306b", LIGHT, "95% or more"),
    (85, "#2171b5", LIGHT, "85 to 94%"),
    (70, "#9ecae1", DARK, "70 to 84%"),
    (50, "#c6dbef", DARK, "50 to 69%"),
    (0, "#eff3ff", DARK, "under 50%"),
)
NONE_SHARED = ("#ffffff", DARK, "no roll call shared")
SELF = ("#e6e8eb", "#4a5360")


@dataclass(frozen=True)
class Box:
    """A rectangle with centred text."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    ink: str
    text: str
    hint: str = ""  # "12 of 14": shown as a tooltip, the table after the drawing has it too


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    row_labels: tuple[Label, ...]
    column_labels: tuple[Label, ...]
    key: tuple[Label, ...]
    cells: tuple[Box, ...]
    legend: tuple[Box, ...]


def shade(percent: int | None) -> tuple[str, str]:
    """Return the (fill, text colour) of a cell with this percent (None: no roll call shared)."""
    if percent is None:
        return NONE_SHARED[0], NONE_SHARED[1]
    for lowest, fill, ink, _ in BANDS:
        if percent >= lowest:
            return fill, ink
    return BANDS[-1][1], BANDS[-1][2]


def key_label(position: int, name: str) -> str:
    """Return '3. Sam Kaufman', the key line that names the member of row and column 3."""
    return f"{position}. {name}"


def heatmap(matrix: Matrix) -> Heatmap:
    """Lay out the matrix: numbered rows and columns, the key of names, then the colour legend.

    Numbers, not names, head the rows so the drawing stays narrow enough to read on a phone.
    """
    names = [key_label(i, name) for i, (_, name) in enumerate(matrix.members, start=1)]
    size = len(matrix.members)
    left, grid = LEFT, size * CELL
    key_width = int(max((len(n) for n in names), default=0) * CHAR_WIDTH)
    width = max(left + grid, key_width, 2 * LEGEND_ENTRY) + 4
    key_top = HEADER + grid + 12
    legend_entries = [*((fill, ink, words) for _, fill, ink, words in BANDS), NONE_SHARED]
    per_row = max(1, width // LEGEND_ENTRY)
    legend_top = key_top + size * KEY_ROW + 12
    height = legend_top + -(-len(legend_entries) // per_row) * LEGEND_ROW + 4
    cells = []
    for r, row in enumerate(matrix.rows):
        for c, cell in enumerate(row):
            fill, ink = SELF if cell.count is None else shade(cell.percent)
            x, y = left + c * CELL, HEADER + r * CELL
            cells.append(Box(x, y, CELL - GAP, CELL - GAP, fill, ink, cell.label, cell.detail))
    legend = []
    for i, (fill, ink, words) in enumerate(legend_entries):
        x = (i % per_row) * LEGEND_ENTRY
        y = legend_top + (i // per_row) * LEGEND_ROW
        legend.append(Box(x, y, 20, 20, fill, ink, words))
    middle = (CELL - GAP) / 2
    return Heatmap(
        width=width,
        height=height,
        row_labels=tuple(
            Label(left - 8, HEADER + i * CELL + middle, str(i + 1)) for i in range(size)
        ),
        column_labels=tuple(
            Label(left + i * CELL + middle, HEADER - 10, str(i + 1)) for i in range(size)
        ),
        key=tuple(Label(0, key_top + i * KEY_ROW + KEY_ROW / 2, n) for i, n in enumerate(names)),
        cells=tuple(cells),
        legend=tuple(legend),
    )
