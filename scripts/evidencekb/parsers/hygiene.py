"""Characters and names refused in every input file, in one place for claims and sources.

Why: a NUL byte, an ESC sequence, a zero-width space or a right-to-left override in a
statement, a title or a key is invisible in review and can reorder or recolour what a
reader sees; a key or id named `con` or `nul` cannot be a file on Windows, where many
contributors work. Each is reported at its own line:col.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls other than tab, newline and carriage return; DEL; C1 controls; invisible
# and bidi-reordering characters; line/paragraph separators; a BOM after the start.
UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
MAX_REPORTED = 20  # per file: a binary file is one problem, not thousands

WINDOWS_RESERVED = frozenset(
    {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(10)),
        *(f"lpt{i}" for i in range(10)),
        "com¹",
        "com²",
        "com³",
        "lpt¹",
        "lpt²",
        "lpt³",
    }
)
KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.+-]*")
MAX_KEY = 64


def char_name(ch: str) -> str:
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "")
    if not name:
        name = {"\x1b": "ESCAPE", "\x00": "NUL", "\x7f": "DELETE", "\r": "CARRIAGE RETURN"}.get(
            ch, "a control character")
    return f"{code} ({name})"


def refused(ch: str) -> str:
    """How a refused character is named in a message: "control character U+001B (ESCAPE)"."""
    what = "invisible or text-direction" if ord(ch) >= 0xA0 else "control"
    return f"{what} character {char_name(ch)}"


def unsafe_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, col, message) for each refused character, at most MAX_REPORTED of them."""
    if not UNSAFE.search(text):
        return []
    out: list[tuple[int, int, str]] = []
    for m in UNSAFE.finditer(text):
        if len(out) == MAX_REPORTED:
            out.append((out[-1][0], out[-1][1], "more such characters follow; not all are listed"))
            break
        i = m.start()
        line = text.count("\n", 0, i) + 1
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        out.append((line, col, f"{refused(m.group())} is not allowed: delete it or type plain text"))
    return out


def reserved_name(name: str) -> bool:
    """True for a Windows device name, with or without an extension, in any case."""
    return name.split(".", 1)[0].strip().lower() in WINDOWS_RESERVED


def key_problem(key: str) -> str | None:
    """Why a BibTeX key cannot be used (it names files and URLs), or None."""
    if len(key) > MAX_KEY:
        return f"too long ({len(key)} characters; at most {MAX_KEY})"
    if not KEY.fullmatch(key):
        return "a key is letters, digits and _:.+- only, starting with a letter or digit"
    if reserved_name(key):
        return "a reserved device name on Windows (con, nul, aux, prn, com1-9, lpt1-9); choose another key"
    return None
