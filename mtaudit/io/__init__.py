"""Readers: files, feeds, folders and stdin become ``Document``s (or errors naming the input).

Formats are told by extension (``.jsonl``/``.ndjson`` feed, ``.tsv``/``.csv`` bitext, anything
else plain text or Markdown) or given explicitly, which stdin (``-``) needs unless it starts
with ``{``.
"""

from __future__ import annotations

import re
from pathlib import Path

from mtaudit.errors import InputError, UsageError
from mtaudit.io.decode import read_text
from mtaudit.io.feed import read_jsonl, read_table
from mtaudit.types import Document

FORMATS = ("auto", "text", "jsonl", "tsv", "csv")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".tsv": "tsv", ".csv": "csv"}
_ARTICLE = re.compile(r"^(?P<name>.+?)(?:\.(?P<lang>[a-z]{2,3}))?\.(?:txt|md|markdown)$")

__all__ = ["FORMATS", "read_inputs"]

ReadItem = Document | InputError


def _format_of(path: str, text: str, fmt: str) -> str:
    if fmt != "auto":
        return fmt
    if path == "-":
        return "jsonl" if text.lstrip().startswith("{") else "text"
    return _EXTENSIONS.get(Path(path).suffix.lower(), "text")


def _read_file(
    path: str, fmt: str, source_path: str | None, source_lang: str, target_lang: str
) -> list[ReadItem]:
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
    target are reported as errors, since there is nothing to audit.
    """
    targets: dict[str, Path] = {}
    sources: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        match = _ARTICLE.match(path.name)
        if not match:
            continue
        lang = match.group("lang")
        if lang == source_lang:
            sources[match.group("name")] = path
        elif lang in (target_lang, None):
            targets[match.group("name")] = path
    if not targets and not sources:
        raise InputError(
            f"holds no articles (expected NAME.{target_lang}.txt, optionally with "
            f"NAME.{source_lang}.txt beside it)",
            str(folder),
        )
    out: list[ReadItem] = []
    for name in sorted(targets.keys() | sources.keys()):
        if name not in targets:
            out.append(
                InputError(f"source {sources[name].name} has no translation beside it", str(folder))
            )
            continue
        try:
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
