"""When a commissioner's meeting counts as amended since they last opened it (pure logic)."""

from __future__ import annotations


def is_amended_since(opened: int | None, newest: int) -> bool:
    """Tell whether a revision newer than the one last opened amends the published agenda.

    Revision 1 is the original notice, so a draft opened before publication (0) counts as
    amended only once a revision 2 exists; a meeting never opened carries no marker.
    """
    return opened is not None and newest > max(opened, 1)
