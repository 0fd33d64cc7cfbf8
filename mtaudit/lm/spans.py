"""Token offsets, worst windows and highlight spans: pure Python, no model needed.

Offsets are Python string indices (Unicode code points), end-exclusive, as everywhere in mtaudit.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

Offsets = list[tuple[int, int]]

# Characters that belong to the character before them: combining marks are handled through
# unicodedata; these are the joiners and selectors that are not combining marks.
_JOINERS = frozenset("\u200c\u200d\ufe0e\ufe0f")
# Trimmed from both ends of a highlight: spaces and the punctuation that glues to words.
_TRIM = ",;:.!?\u060c\u061b\u061f"
# A highlight grows to whole words, but never by more than this many characters on either side
# (texts without spaces between words, such as Chinese, would otherwise grow to the whole line).
_MAX_WORD_GROWTH = 40


def _is_attached(ch: str) -> bool:
    """Tell whether ``ch`` must stay with the character before it."""
    return (
        unicodedata.combining(ch) != 0
        or ch in _JOINERS
        or unicodedata.category(ch) in ("Mn", "Me")
        or "\U0001f3fb" <= ch <= "\U0001f3ff"  # skin-tone modifiers
        or "\U000e0020" <= ch <= "\U000e007f"  # emoji tag sequences
    )


def snap_to_clusters(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither splits a combining sequence nor a joined emoji."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    while 0 < start < len(text) and (_is_attached(text[start]) or text[start - 1] == "\u200d"):
        start -= 1
    while end < len(text) and (_is_attached(text[end]) or (end > 0 and text[end - 1] == "\u200d")):
        end += 1
    return start, end


def expand_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow ``[start, end)`` to whole whitespace-separated words, then trim spaces and punctuation.

    The result never splits a grapheme cluster and is never empty unless the text is.
    """
    if not text:
        return 0, 0
    # Tokenizers often count the space before a word as part of its token: skip it first, so
    # that growing to whole words does not pull in the word before.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    start, end = snap_to_clusters(text, start, end)
    lo, hi = start, end
    while lo > 0 and not text[lo - 1].isspace() and start - lo < _MAX_WORD_GROWTH:
        lo -= 1
    while hi < len(text) and not text[hi].isspace() and hi - end < _MAX_WORD_GROWTH:
        hi += 1
    if lo > 0 and not text[lo - 1].isspace():  # growth was capped: keep the cluster-safe start
        lo = start
    if hi < len(text) and not text[hi].isspace():
        hi = end
    trimmed_lo, trimmed_hi = lo, hi
    while trimmed_lo < trimmed_hi and (text[trimmed_lo].isspace() or text[trimmed_lo] in _TRIM):
        trimmed_lo += 1
    while trimmed_hi > trimmed_lo and (
        text[trimmed_hi - 1].isspace() or text[trimmed_hi - 1] in _TRIM
    ):
        trimmed_hi -= 1
    if trimmed_lo == trimmed_hi:  # the window was only punctuation or spaces: keep it as it was
        return snap_to_clusters(text, start, end) if start < end else (lo, hi)
    return snap_to_clusters(text, trimmed_lo, trimmed_hi)


def align_pieces(text: str, pieces: Sequence[str]) -> Offsets:
    """Locate decoded token pieces in ``text``, for tokenizers that cannot report offsets.

    Each piece is searched for from where the previous one ended, ignoring the spaces and
    word-boundary markers that tokenizers add. A piece that cannot be found (a partial UTF-8
    byte, an unknown token) gets the stretch up to the next piece that can, so that the offsets
    stay ordered and cover the text.
    """
    located: list[tuple[int, int] | None] = []
    cursor = 0
    for piece in pieces:
        needle = piece.replace("\u2581", " ").replace("\u0120", " ").strip()
        if not needle or "\ufffd" in needle:
            located.append(None)
            continue
        found = text.find(needle, cursor)
        gap_owner = bool(located) and located[-1] is None
        if found < 0 or (text[cursor:found].strip() and not gap_owner):
            # Not found, or found only after skipping text that no earlier piece can cover.
            located.append(None)
            continue
        located.append((found, found + len(needle)))
        cursor = found + len(needle)
    out: Offsets = []
    previous_end = 0
    for i, span in enumerate(located):
        if span is not None:
            out.append(span)
            previous_end = span[1]
            continue
        following = next((s[0] for s in located[i + 1 :] if s is not None), len(text))
        start = previous_end
        while start < following and text[start].isspace():
            start += 1
        out.append((start, max(start, following)))
        previous_end = max(start, following) if following > start else previous_end
    return out


def clamp_offsets(offsets: Sequence[tuple[int, int]], shift: int, length: int) -> Offsets:
    """Shift offsets left by ``shift`` (a prefix added before tokenizing) and clamp to the text."""
    out: Offsets = []
    for start, end in offsets:
        s = min(max(start - shift, 0), length)
        e = min(max(end - shift, s), length)
        out.append((s, e))
    return out


def worst_window(values: Sequence[float], size: int) -> tuple[int, int, float]:
    """Find the ``size`` consecutive values with the highest mean: ``(start, end, mean)``.

    When there are fewer values than ``size`` the window is all of them. With no values the
    window is empty and its mean is NaN.
    """
    n = len(values)
    if n == 0:
        return 0, 0, math.nan
    k = max(1, min(size, n))
    total = sum(values[:k])
    best_total, best_start = total, 0
    for i in range(k, n):
        total += values[i] - values[i - k]
        if total > best_total + 1e-12:
            best_total, best_start = total, i - k + 1
    return best_start, best_start + k, best_total / k


def window_span(
    text: str, offsets: Sequence[tuple[int, int]], start: int, end: int
) -> tuple[int, int]:
    """Return the character span of tokens ``[start, end)``, grown to whole words."""
    if start >= end or not offsets:
        return 0, 0
    chosen = [offsets[i] for i in range(start, end) if offsets[i][1] > offsets[i][0]]
    if not chosen:
        pos = offsets[min(start, len(offsets) - 1)][0]
        return expand_to_words(text, pos, pos)
    return expand_to_words(text, min(s for s, _ in chosen), max(e for _, e in chosen))
