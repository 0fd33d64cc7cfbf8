"""The reviewer's HTML report: one self-contained file rendered from a run.

The page holds the run (``docs/json-schema.md``) as JSON in a ``<script type="application/json">``
block and a script (``assets/report.js``) that builds every element from it with
``textContent``/``createElement``, never by parsing markup, so article text (untrusted input)
can only ever appear as text. A Content-Security-Policy allows nothing but the page's own inline
style and script, pinned by their SHA-256 hashes: no network, no injected script.

``render_html`` works on the typed run (``mtaudit.runfile.Run``), so the same code serves a live
audit and a JSON run saved earlier (``mtaudit report run.json --html report.html``).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mtaudit import __version__
from mtaudit.atomic import write_text_atomic
from mtaudit.reports import Options, ReportFormat
from mtaudit.reports.json_report import strict
from mtaudit.runfile import Run, documents_digest

STORAGE_PREFIX = "mtaudit.progress"
"""Prefix of the browser ``localStorage`` key under which a report keeps a reviewer's progress."""

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def _asset(name: str) -> str:
    return resources.files("mtaudit.reports").joinpath("assets", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def json_for_script(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` so that no ``</script>``
    or ``<!--`` in article text can end the element; U+2028/U+2029 are escaped too, and lone
    surrogates (undecodable input) become U+FFFD. These characters only ever occur inside JSON
    strings, where the escapes mean the same characters, so ``JSON.parse`` returns the original.
    """
    text = json.dumps(strict(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_ESCAPE_RE.sub(lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def storage_key(run: Run) -> str:
    """Return the ``localStorage`` key of a run: its settings signature plus documents digest."""
    return f"{STORAGE_PREFIX}:{run.signature_text}:{documents_digest(run)}"


_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def visible_controls(text: str) -> str:
    """Replace bidi and other control characters by visible ``⟨U+XXXX⟩`` tokens."""
    return _CONTROLS.sub(lambda m: f"\u27e8U+{ord(m.group(0)):04X}\u27e9", text)


def _title(run: Run) -> str:
    if len(run.documents) == 1:
        return visible_controls(f"mtaudit report: {run.documents[0].id}")
    return f"mtaudit report: {len(run.documents)} articles"


def render_html(run: Run) -> str:
    """Render a run as one self-contained HTML page (the run embedded as its JSON object)."""
    style = _asset("report.css")
    script = _asset("report.js")
    payload = {
        "run": run.to_dict(),
        "report": {
            "storage_key": storage_key(run),
            "documents_digest": documents_digest(run),
            "generator": f"mtaudit {__version__}",
        },
    }
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; "
        f"style-src {_csp_hash(style)}; "
        "base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en" dir="ltr">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{html.escape(payload["report"]["generator"])}">\n'
        f"<title>{html.escape(_title(run))}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n<body>\n"
        '<noscript><p class="noscript">This report is built by its own inline script; '
        "allow JavaScript for this file to see it.</p></noscript>\n"
        '<div id="app" aria-live="polite"></div>\n'
        f'<script type="application/json" id="mtaudit-data">{json_for_script(payload)}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )


def write_html(run: Run, path: str | os.PathLike[str]) -> Path:
    """Render ``run`` and write it to ``path`` atomically (temporary file, then ``os.replace``).

    A reader never sees a half-written report, and a failed render leaves an old one intact.
    Returns the path written. Raises ``InputError`` for an unwritable path.
    """
    return write_text_atomic(render_html(run), path)


def _render(run: Run, options: Options) -> str:
    return render_html(run)


FORMAT = ReportFormat(
    "html",
    "the reviewer's self-contained HTML page",
    render=_render,
)
