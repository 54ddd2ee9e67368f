"""Stop make early, naming the fix, when WeasyPrint's system libraries or our fonts are missing."""

from __future__ import annotations

import sys

from agenda.documents.packet import STAMP_FONT_FILE

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


def main() -> int:
    """Import WeasyPrint and report the Debian packages to install if Pango is missing."""
    try:
        import weasyprint  # noqa: F401  (the import is the check)
    except OSError as error:
        print(
            f"WeasyPrint cannot load its system libraries ({error}).\n"
            f"On Debian or Ubuntu install them with:\n"
            f"  sudo apt-get install {DEBIAN_PACKAGES}",
            file=sys.stderr,
        )
        return 1
    if not STAMP_FONT_FILE.is_file():
        print(
            f"The packet's stamp font {STAMP_FONT_FILE} is missing.\n"
            f"On Debian or Ubuntu install it with:\n  sudo apt-get install fonts-dejavu-core",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
