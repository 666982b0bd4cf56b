"""Say whether this machine makes the portal's PDFs, and how well, before anything fails later.

WeasyPrint needs Pango; without HarfBuzz's subsetter it still works, embedding whole fonts
(larger files). The minutes ask for Noto Sans (Latin, Cyrillic) and Noto Naskh Arabic (Dari,
Pashto); without them fontconfig substitutes another font that covers the language, and only
a language no installed font covers prints as empty boxes. Each finding says which of these it
is, with the Debian/Ubuntu package that mends it; .ci/run installs them all. Exit status 0:
the portal runs either way, printing is what is at stake.
"""

import ctypes.util
import json
import shutil
import subprocess
import sys

REQUIRED_LIBRARY = ("pango-1.0", "libpango-1.0-0 libpangoft2-1.0-0")
SUBSETTER = "libharfbuzz-subset0"
NOTO = "fonts-noto-core"
# The font print.css asks for, and the languages (fontconfig's codes) it is there for.
SCRIPTS = [
    ("Noto Sans", {"en": "English", "ru": "Russian", "kk": "Kazakh"}),
    ("Noto Naskh Arabic", {"fa": "Dari", "ps": "Pashto"}),
]


def fc_list(*pattern: str) -> set[str]:
    listing = subprocess.run(
        ["fc-list", *pattern, "family"], capture_output=True, text=True, check=False
    ).stdout
    return {family.strip() for line in listing.splitlines() for family in line.split(",")}


def font_findings() -> list[str]:
    if not shutil.which("fc-list"):
        return [
            f"Fonts cannot be checked without fontconfig: sudo apt-get install -y fontconfig {NOTO}"
        ]
    installed = fc_list(":")
    findings = []
    for family, languages in SCRIPTS:
        if family in installed:
            continue
        uncovered = [name for code, name in languages.items() if not fc_list(f":lang={code}")]
        covered = [name for code, name in languages.items() if name not in uncovered]
        if covered:
            findings.append(
                f"{', '.join(covered)} text prints in another installed font, as {family} is "
                f"missing; PDFs work. For the intended look: sudo apt-get install -y {NOTO}"
            )
        if uncovered:
            findings.append(
                f"No installed font writes {', '.join(uncovered)}: such text prints as empty "
                f"boxes. sudo apt-get install -y {NOTO}"
            )
    return findings


# Run apart: with no usable font at all, Pango can crash the process instead of raising.
PROBE = """
import json, sys, warnings
warnings.simplefilter("ignore")
import weasyprint
from weasyprint.text import ffi
pdf = weasyprint.HTML(string=sys.argv[1]).write_pdf()
print(json.dumps({"pdf": pdf.startswith(b"%PDF"), "subsetter": ffi.harfbuzz_subset is not None}))
"""
SAMPLE = "<p>Minutes</p><p>Протокол · Хаттама</p><p dir=rtl>صورت جلسه · د غونډې صورت</p>"


def probe_weasyprint() -> tuple[str | None, bool]:
    """Make a PDF in every script the portal prints: what failed (None: nothing), and whether
    WeasyPrint found HarfBuzz's subsetter."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, SAMPLE], capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        return "WeasyPrint took over a minute for one line of text", True
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        if done.returncode < 0:
            last = f"WeasyPrint crashed (signal {-done.returncode}); is any font installed?"
        return last, True
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return (None if result["pdf"] else "WeasyPrint returned no PDF"), result["subsetter"]


def main() -> int:
    errors, notes = [], []
    library, packages = REQUIRED_LIBRARY
    subsetter = True
    if not ctypes.util.find_library(library):
        errors.append(f"Pango is missing: sudo apt-get install -y {packages}")
    else:
        failure, subsetter = probe_weasyprint()
        if failure:
            errors.append(f"A test PDF could not be made ({failure})")
    if not subsetter:
        notes.append(
            "PDFs work, with whole fonts embedded (larger files) as HarfBuzz's subsetter is "
            f"missing: sudo apt-get install -y {SUBSETTER}"
        )
    notes += font_findings()
    for error in errors:
        print(f"PDF output will not work. {error}", file=sys.stderr)
    if errors:
        print("The portal runs; printing minutes and reports to PDF does not.", file=sys.stderr)
    for note in notes:
        print(f"PDF output: {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
