"""Output paths are checked before any work: a report never overwrites what it reads."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from mtaudit.errors import UsageError

_ARTICLE = re.compile(r"\.(?:txt|md|markdown)$")


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file: same resolved path, or same inode (links)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwrite(outputs: Mapping[str, str | None], inputs: Iterable[str | None]) -> None:
    """Raise ``UsageError`` when an output path names an input (or another output).

    Paths are compared after resolving symbolic links, and existing files by inode, so a link
    or a relative spelling of an input is caught too. An output inside an input folder is
    refused when the folder reader would take it for an article (``.txt``/``.md``).
    """
    sources = [Path(p) for p in inputs if p and p != "-"]
    seen: dict[Path, str] = {}
    for option, value in outputs.items():
        if not value or value == "-":
            continue
        out = Path(value)
        for src in sources:
            if src.is_dir():
                if _ARTICLE.search(out.name) and _same_file(out.parent, src):
                    raise UsageError(
                        f"{option} {value} is inside the input folder {src} and would be read "
                        "as an article next time; write it somewhere else"
                    )
            elif _same_file(out, src):
                raise UsageError(
                    f"{option} {value} is the input file {src}; writing there would overwrite "
                    "it. Give another output path"
                )
        key = out.resolve()
        if key in seen:
            raise UsageError(f"{option} and {seen[key]} name the same file {value}")
        seen[key] = option
