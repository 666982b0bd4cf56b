"""Text as people type it into the portal's forms (update notes, comments on minutes).

Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) can turn the
rest of a line around on the page, in exports and in print ("Trojan Source" spoofing); Dari
and Pashto need none of them, only the marks (U+200E, U+200F, U+061C), which stay. Other
control characters break spreadsheet exports; a vertical tab or form feed (Word's manual
line and page breaks, pasted) becomes a new line.
"""

import re
import unicodedata

_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def plain_text(value: str) -> str:
    """Text as typed, without the invisible characters that reorder or break it elsewhere."""
    value = _BIDI_CONTROLS.sub("", value)
    value = _LINE_BREAKS.sub("\n", value)
    return _CONTROLS.sub("", value)


def direction(value: str) -> str:
    """ "rtl" or "ltr": the direction of the first letter with one, as a browser's dir="auto"
    finds it (WeasyPrint, which prints the PDFs, has no dir="auto")."""
    for character in value:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
