"""Highlighted excerpts: text cut into (text, is_match) pieces that the
template marks up (``<mark>``), so no HTML is written here and the text stays
escaped."""

import re
from dataclasses import dataclass

#: Characters of context on each side of the first match.
CONTEXT = 90
MARKDOWN = re.compile(r"[*_#>`|]+|\[|\]\([^)]*\)")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Piece:
    text: str
    is_match: bool


def clean(text):
    """Plain text: Markdown marks and line breaks gone."""
    return SPACE.sub(" ", MARKDOWN.sub("", text or "")).strip()


def pieces(text, pattern):
    """``text`` cut into pieces, the matches of ``pattern`` marked."""
    found, start = [], 0
    for match in pattern.finditer(text):
        if match.start() > start:
            found.append(Piece(text[start : match.start()], False))
        found.append(Piece(match.group(), True))
        start = match.end()
    if start < len(text):
        found.append(Piece(text[start:], False))
    return found


def excerpt(texts, pattern, *, fallback=True):
    """The first text with a match, cut around it, as pieces. Without a
    match: the first text's beginning if ``fallback``, else []."""
    texts = [clean(text) for text in texts if text]
    texts = [text for text in texts if text]
    for text in texts:
        match = pattern.search(text)
        if match:
            return pieces(_window(text, match.start(), match.end()), pattern)
    if fallback and texts:
        return pieces(_window(texts[0], 0, 0), pattern)
    return []


def _window(text, start, end):
    begin = max(0, start - CONTEXT)
    stop = min(len(text), end + 2 * CONTEXT)
    if begin > 0:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    if stop < len(text):
        space = text.rfind(" ", end, stop)
        stop = space if space > end else stop
    return (
        ("… " if begin > 0 else "")
        + text[begin:stop]
        + (" …" if stop < len(text) else "")
    )
