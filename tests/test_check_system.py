"""scripts/check_system.py tells the truth about PDFs: it runs WeasyPrint and asks fontconfig,
here against font folders made for each case (FONTCONFIG_FILE, real fontconfig and Pango)."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_system.py"
NOTO = Path("/usr/share/fonts/truetype/noto")


def check(tmp_path: Path, *fonts: str) -> str:
    """The script's findings on a machine with only `fonts` (file names in NOTO)."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    for name in fonts:
        (folder / name).symlink_to(NOTO / name)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env={**os.environ, "FONTCONFIG_FILE": str(config)},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0  # the portal runs either way
    return done.stderr


def test_with_the_fonts_the_minutes_ask_for_nothing_is_said(tmp_path):
    assert check(tmp_path, "NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf") == ""


def test_a_substitute_font_is_named_as_such_and_pdfs_said_to_work(tmp_path):
    said = check(tmp_path, "NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf")
    assert "will not work" not in said
    assert (
        "Dari, Pashto text prints in another installed font, as Noto Naskh Arabic is missing; "
        "PDFs work." in said
    )


def test_a_language_no_font_writes_is_said_to_print_as_boxes(tmp_path):
    said = check(tmp_path, "NotoSans-Regular.ttf")
    assert "will not work" not in said
    assert "No installed font writes Dari, Pashto: such text prints as empty boxes." in said


def test_without_any_font_pdfs_are_said_not_to_work(tmp_path):
    said = check(tmp_path)
    assert "PDF output will not work. A test PDF could not be made" in said
    assert "printing minutes and reports to PDF does not" in said
