"""Say which system libraries and fonts the PDFs need are missing, before anything fails later.

WeasyPrint needs Pango and HarfBuzz's subsetter; the minutes need fonts for Latin, Cyrillic
and Arabic script (Dari, Pashto). Debian/Ubuntu package names are given; .ci/run installs them.
"""

import ctypes.util
import shutil
import subprocess
import sys

LIBRARIES = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz-subset": "libharfbuzz-subset0",
}
FONTS = {
    "Noto Sans": "fonts-noto-core",
    "Noto Naskh Arabic": "fonts-noto-core",
}


def installed_font_families() -> set[str]:
    if not shutil.which("fc-list"):
        return set()
    listing = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {family.strip() for line in listing.splitlines() for family in line.split(",")}


def missing_packages() -> list[str]:
    missing = [pkg for lib, pkg in LIBRARIES.items() if not ctypes.util.find_library(lib)]
    families = installed_font_families()
    missing += [pkg for family, pkg in FONTS.items() if family not in families]
    if not shutil.which("fc-list"):
        missing.append("fontconfig")
    return sorted(set(missing))


def main() -> int:
    missing = missing_packages()
    if missing:
        print(
            "PDF output needs system packages that are missing: "
            f"sudo apt-get install -y {' '.join(missing)}  "
            "(the portal runs; printing minutes to PDF will not until they are installed)",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
