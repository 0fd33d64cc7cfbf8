"""Readers: files, feeds, folders and stdin become ``Document``s (or errors naming the input).

Formats are told by extension (``.jsonl``/``.ndjson`` feed, ``.tsv``/``.csv`` bitext,
``.html``/``.htm`` web page, ``.xlf``/``.xliff`` XLIFF, ``.tmx`` translation memory, anything
else plain text or Markdown) or given explicitly, which stdin (``-``) needs unless it starts
with ``{``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mtaudit.errors import InputError, UsageError
from mtaudit.io.decode import read_text
from mtaudit.io.feed import read_jsonl, read_table
from mtaudit.io.html import read_html
from mtaudit.io.tmx import read_tmx
from mtaudit.io.xliff import read_xliff
from mtaudit.types import Document

FORMATS = ("auto", "text", "jsonl", "tsv", "csv", "html", "xliff", "tmx")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".tsv": "tsv", ".csv": "csv"}
_FILE_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xlf": "xliff",
    ".xliff": "xliff",
    ".sdlxliff": "xliff",
    ".mqxliff": "xliff",
    ".tmx": "tmx",
}
"""Formats read from the file's bytes by their own parser (not as UTF-8 text first)."""
_ARTICLE = re.compile(
    r"^(?P<name>.+?)(?:\.(?P<lang>[a-z]{2,3}))?\.(?:txt|md|markdown|html?|xhtml)$",
    re.IGNORECASE | re.DOTALL,
)
_SHOWN = 5
"""How many skipped names a folder's warning lists."""
_PAGE = (".html", ".htm", ".xhtml")

__all__ = ["FORMATS", "LanguageSettings", "read_inputs"]


@dataclass(frozen=True)
class LanguageSettings:
    """``[languages]``: the languages of an input that does not say (ISO 639 codes)."""

    SECTION: ClassVar[str] = "languages"
    source: str
    target: str


ReadItem = Document | InputError
log = logging.getLogger("mtaudit")


def _format_of(path: str, text: str, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    if path == "-":
        return "jsonl" if text.lstrip().startswith("{") else "text"
    return _EXTENSIONS.get(Path(path).suffix.lower(), "text")


def _read_file(
    path: str, fmt: str, source_path: str | None, source_lang: str, target_lang: str
) -> list[ReadItem]:
    kind = fmt if fmt != "auto" else _FILE_FORMATS.get(Path(path).suffix.lower(), "auto")
    if kind in ("html", "xliff", "tmx"):
        if kind == "html":
            return [read_html(path, source_path, source_lang, target_lang)]
        if source_path is not None:
            raise UsageError(f"--source cannot be used with {kind} input: it holds its source")
        reader = read_xliff if kind == "xliff" else read_tmx
        return list(reader(path, source_lang, target_lang))
    text = read_text(path)
    kind = _format_of(path, text, fmt)
    name = "<stdin>" if path == "-" else path
    if source_path is not None and kind != "text":
        raise UsageError(
            f"--source goes with a plain-text article; {name} is a {kind} feed, whose records "
            "carry their own 'source' field"
        )
    if kind == "jsonl":
        return read_jsonl(text, name, source_lang, target_lang)
    if kind in ("tsv", "csv"):
        return read_table(text, name, "\t" if kind == "tsv" else ",", source_lang, target_lang)
    source = read_text(source_path) if source_path else None
    match = _ARTICLE.match(Path(name).name)
    doc_id = match.group("name") if match else Path(name).stem or "stdin"
    return [Document(doc_id, text, source, source_lang, target_lang, origin=name)]


def read_folder(folder: Path, source_lang: str, target_lang: str) -> list[ReadItem]:
    """Read every article in ``folder``, pairing ``NAME.<src>.txt`` with ``NAME.<tgt>.txt``.

    A file without a language tag (``NAME.txt``) is a target-only article. Sources without a
    target are reported as errors, since there is nothing to audit. Web pages pair the same way
    (``NAME.en.html`` with ``NAME.ar.html``); XLIFF and TMX files are read each on its own.
    """
    targets: dict[str, Path] = {}
    sources: dict[str, Path] = {}
    out: list[ReadItem] = []
    skipped: list[str] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            skipped.append(f"{path.name}/" if path.is_dir() else path.name)
            continue
        kind = _FILE_FORMATS.get(path.suffix.lower())
        if kind in ("xliff", "tmx"):
            try:
                reader = read_xliff if kind == "xliff" else read_tmx
                out.extend(reader(str(path), source_lang, target_lang))
            except InputError as exc:
                out.append(exc)
            continue
        match = _ARTICLE.match(path.name)
        lang = (match.group("lang") or "").lower() if match else None
        if match and lang == source_lang:
            sources[match.group("name")] = path
        elif match and lang in (target_lang, ""):
            targets[match.group("name")] = path
        else:
            skipped.append(path.name)
    if skipped:
        shown = ", ".join(repr(n) for n in skipped[:_SHOWN])
        log.warning(
            "%s: %d entr%s not read (articles are NAME.%s or NAME.%s with .txt, .md or .html, "
            "beside XLIFF and TMX files; sub-folders are not read): %s%s",
            folder,
            len(skipped),
            "y" if len(skipped) == 1 else "ies",
            target_lang,
            source_lang,
            shown,
            ", ..." if len(skipped) > _SHOWN else "",
        )
    if not targets and not sources and not out:
        raise InputError(
            f"holds no articles (expected NAME.{target_lang}.txt, optionally with "
            f"NAME.{source_lang}.txt beside it)",
            str(folder),
        )
    for name in sorted(targets.keys() | sources.keys()):
        if name not in targets:
            out.append(
                InputError(f"source {sources[name].name} has no translation beside it", str(folder))
            )
            continue
        try:
            if targets[name].suffix.lower() in _PAGE:
                source_page = str(sources[name]) if name in sources else None
                out.append(read_html(str(targets[name]), source_page, source_lang, target_lang))
                continue
            text = read_text(str(targets[name]))
            source = read_text(str(sources[name])) if name in sources else None
        except InputError as exc:
            out.append(exc)
            continue
        out.append(Document(name, text, source, source_lang, target_lang, str(targets[name])))
    return out


def read_inputs(
    paths: list[str],
    *,
    source: str | None = None,
    fmt: str = "auto",
    source_lang: str = "ar",
    target_lang: str = "en",
) -> list[ReadItem]:
    """Read every input; a bad file becomes an ``InputError`` item and the rest still load."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown input format {fmt!r} (choose from {', '.join(FORMATS)})")
    if source is not None and len(paths) != 1:
        raise UsageError("--source goes with exactly one translated article")
    if [*paths, source].count("-") > 1:
        raise UsageError("standard input (-) can be read once: give the other text as a file")
    out: list[ReadItem] = []
    for path in paths:
        try:
            if path != "-" and Path(path).is_dir():
                if source is not None:
                    raise UsageError("--source cannot be used with a folder")
                out.extend(read_folder(Path(path), source_lang, target_lang))
            else:
                out.extend(_read_file(path, fmt, source, source_lang, target_lang))
        except InputError as exc:
            out.append(exc)
        except OSError as exc:  # a folder that cannot be listed, a device that fails
            out.append(InputError(f"cannot be read ({exc.strerror or exc})", path))
    return out
