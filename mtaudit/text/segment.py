"""Split article text into paragraphs and sentences, keeping offsets into the original text.

Rules, in order:
- a blank line ends a paragraph;
- inside a paragraph, a line break ends a sentence unless the line is wrapped prose (it ends
  without terminal punctuation and the next line starts in lower case);
- a terminal mark (``. ! ? ؟ …``), with any closing quotes or brackets after it, ends a sentence
  when white space and a plausible sentence start follow, and (for English) the word before it is
  not a known abbreviation or an initial.

Decimals such as ``1,000.5`` never split, since no white space follows their point.

Every step is linear in the text: each test looks only at the characters next to the mark or
line break it is about (never back to the start of the text or the paragraph), so a paragraph
of 100,000 sentences takes 100 times as long as one of 1,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from mtaudit.types import Sentence

TERMINALS = ".!?؟…"
CLOSERS = "\"'”’»)]}›"
# Starts only where a run of marks starts, and never backtracks: linear even on "......".
_BOUNDARY = re.compile(
    rf"(?<![{re.escape(TERMINALS)}])[{re.escape(TERMINALS)}]++[{re.escape(CLOSERS)}]*+(?=\s)"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_MARKDOWN_PREFIX = re.compile(r"(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)+")
_WORD_CHARS = ".'’-"
# Longer than any abbreviation: the scan back from a period stops there.
_LONGEST_ABBREVIATION = 8

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "rev",
        "hon",
        "pres",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "univ",
        "assn",
        "est",
        "fig",
        "vol",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "jan",
        "feb",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "u.s.a",
        "e.u",
    ]
)


@dataclass(frozen=True)
class SegmentSettings:
    """``[segment]``: sentences longer than this are kept whole; the length check reports them."""

    SECTION: ClassVar[str] = "segment"
    max_sentence_chars: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a text: its offsets and its index."""

    index: int
    start: int
    end: int


def paragraphs(text: str) -> list[Paragraph]:
    """Return the non-blank paragraphs of ``text`` (separated by blank lines), trimmed."""
    found: list[Paragraph] = []
    pos = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        start, stop = _trim(text, pos, end)
        if start < stop:
            found.append(Paragraph(len(found), start, stop))
        if match:
            pos = match.end()
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or char in _WORD_CHARS


def _is_abbreviation(text: str, mark_at: int, start: int = 0) -> bool:
    """Whether the period at ``mark_at`` closes an abbreviation or an initial.

    Looks back over the word before the period (letters, digits, ``. ' ’ -``), at most a few
    characters: a longer word is neither.
    """
    begin = mark_at
    while begin > start and _is_word_char(text[begin - 1]):
        begin -= 1
        if mark_at - begin > _LONGEST_ABBREVIATION:
            return False
    raw = text[begin:mark_at]
    word = raw.lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    # A single capital letter ("J. Smith") is an initial.
    return len(word) == 1 and raw.isupper()


def _is_list_marker(text: str, start: int, mark_at: int) -> bool:
    """Whether the period at ``mark_at`` follows a list number alone at the start of a line."""
    pos = _skip_blanks_back(text, start, mark_at)
    digits = pos
    while digits > start and text[digits - 1].isdigit():
        digits -= 1
    if digits == pos:
        return False
    line_start = _skip_blanks_back(text, start, digits)
    return line_start == start or text[line_start - 1] == "\n"


def _skip_blanks_back(text: str, start: int, pos: int) -> int:
    """Move ``pos`` back over white space other than line breaks, not before ``start``."""
    while pos > start and text[pos - 1] != "\n" and text[pos - 1].isspace():
        pos -= 1
    return pos


def _starts_sentence(char: str, lang: str) -> bool:
    if lang == "en":
        return char.isupper() or char.isdigit() or char in "\"'“‘«([" or not char.isascii()
    return True


def _line_breaks(text: str, start: int, end: int) -> list[int]:
    """Offsets inside [start, end) where a line break ends a sentence."""
    cuts: list[int] = []
    pos = text.find("\n", start, end)
    while pos != -1:
        # Inside a paragraph two line breaks always have text between them, so these scans
        # over white space never pass another line break: linear overall.
        last = pos
        while last > start and text[last - 1].isspace():
            last -= 1
        first = pos + 1
        while first < end and text[first].isspace():
            first += 1
        wrapped = last > start and text[last - 1] not in TERMINALS + CLOSERS + ":"
        if not (wrapped and first < end and text[first].islower()):
            cuts.append(pos)
        pos = text.find("\n", pos + 1, end)
    return cuts


def _cuts(text: str, start: int, end: int, lang: str) -> list[int]:
    cuts = set(_line_breaks(text, start, end))
    for match in _BOUNDARY.finditer(text, start, end):
        nxt = match.end()
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end:
            continue
        marks = match.group(0).rstrip(CLOSERS)
        if marks == "." and (
            _is_list_marker(text, start, match.start())
            or (lang == "en" and _is_abbreviation(text, match.start(), start))
        ):
            continue
        if _starts_sentence(text[nxt], lang):
            cuts.add(match.end())
    return sorted(cuts)


def split_paragraph(
    text: str, start: int, end: int, lang: str, paragraph: int = 0, first_index: int = 0
) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences; offsets refer to ``text``."""
    sentences: list[Sentence] = []
    pos = start
    for cut in [*_cuts(text, start, end, lang), end]:
        s, e = _trim(text, pos, cut)
        prefix = _MARKDOWN_PREFIX.match(text, s, e)
        if prefix and prefix.end() < e:
            s = prefix.end()
        if s < e:
            sentences.append(Sentence(first_index + len(sentences), text[s:e], s, e, paragraph))
        pos = cut
    return sentences


def split_sentences(text: str, lang: str = "en") -> list[Sentence]:
    """Split a whole text into sentences with offsets and paragraph numbers.

    >>> [s.text for s in split_sentences("Dr. Ali paid 1,000.5 dinars. He left.")]
    ['Dr. Ali paid 1,000.5 dinars.', 'He left.']
    """
    out: list[Sentence] = []
    for para in paragraphs(text):
        out.extend(split_paragraph(text, para.start, para.end, lang, para.index, len(out)))
    return out
