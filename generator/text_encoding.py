"""Which Unicode encoding a JSON or YAML text is in, when it is not UTF-8.

Windows PowerShell's `>` and `Out-File` write UTF-16, so files recorded or saved there arrive so. JSON
(RFC 8259 8.1) and YAML (1.2, 5.2) texts may be UTF-16 or UTF-32, told by a byte order mark or, without one,
by the zero bytes around the first characters, which are ASCII in any such text (`{`, `[`, `"`, a YAML
key or comment; a space).
"""

from __future__ import annotations


def wide_encoding(data: bytes) -> str | None:
    """ "utf-16" or "utf-32" (byte order by the mark: decode with it), "utf-16-le" and so on without a mark,
    or None for text in neither."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    zeros = tuple(byte == 0 for byte in data[:8])  # of the first two characters (any binary file has some)
    if zeros == (True, True, True, False) * 2:
        return "utf-32-be"
    if zeros == (False, True, True, True) * 2:
        return "utf-32-le"
    if zeros == (True, False) * 4:
        return "utf-16-be"
    if zeros == (False, True) * 4:
        return "utf-16-le"
    return None


def encoding_name(encoding: str) -> str:
    """ "UTF-16" for "utf-16-le", as a person names it."""
    return encoding.upper()[:6]
