"""A word-level difference between two texts (difflib on words), for reading what changed.

`word_difference(old, new)` gives the pieces in reading order, each
`{"op": "equal" | "delete" | "insert", "text": ...}`; line breaks are kept as words of
their own ("\\n") so a paragraph stays a paragraph. Pages show deletions as <del> and
insertions as <ins>, each with words for screen readers.
"""

from __future__ import annotations

import difflib
import re

_WORDS = re.compile(r"\n|[^\S\n]+|[^\s]+")


def words(text: str | None) -> list[str]:
    """The words of `text` with line breaks as "\\n" (runs of other spaces dropped)."""
    return [w for w in _WORDS.findall(text or "") if w == "\n" or not w.isspace()]


def _join(tokens: list[str]) -> str:
    out = ""
    for t in tokens:
        if t == "\n":
            out = out.rstrip(" ") + "\n"
        else:
            out += ("" if not out or out.endswith("\n") else " ") + t
    return out


def word_difference(old: str | None, new: str | None) -> list[dict]:
    """The pieces that make `old` into `new`, word by word."""
    a, b = words(old), words(new)
    pieces: list[dict] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append({"op": "equal", "text": _join(a[i1:i2])})
            continue
        if tag in ("delete", "replace"):
            pieces.append({"op": "delete", "text": _join(a[i1:i2])})
        if tag in ("insert", "replace"):
            pieces.append({"op": "insert", "text": _join(b[j1:j2])})
    return [p for p in pieces if p["text"]]


def counts(pieces: list[dict]) -> dict:
    """How many words were taken out and put in."""
    out = {"deleted": 0, "inserted": 0}
    for p in pieces:
        if p["op"] != "equal":
            out["inserted" if p["op"] == "insert" else "deleted"] += len(
                [w for w in words(p["text"]) if w != "\n"])
    return out
