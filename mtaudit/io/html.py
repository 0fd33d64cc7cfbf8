"""Web pages: the article body is extracted, mapped back to the page, and the rest listed.

The page is parsed by lxml's HTML parser (no network, libxml2's size limits on), then every
element that never shows text to a reader (scripts, styles, templates, frames, embedded objects,
form controls) and every comment is removed, so markup can never reach the text. trafilatura
finds the article (title, headings, paragraphs, list items, quotes) in what is left. Each
extracted paragraph becomes one paragraph of the document's text and is mapped back to the
element it came from (its XPath in the page); what the page shows besides the article
(navigation, share bars, comment forms, related links, footers) is listed as non-prose blocks
with its element and a reason, never audited.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from mtaudit.errors import InputError
from mtaudit.io.decode import decode
from mtaudit.io.xmlsafe import NOT_XML, display_name, document_id, read_bytes
from mtaudit.types import Block, Document, Place

__all__ = ["Extracted", "extract_article", "read_html"]

_INVISIBLE = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "canvas",
    "video",
    "audio",
    "img",
    "input",
    "select",
    "textarea",
    "button",
    "option",
    "link",
    "meta",
    "base",
)
_PARAGRAPHS = {"head", "p", "item", "quote", "code", "cell"}
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_REASONS = [
    (re.compile(r"\bnav\b|navigation|menu|breadcrumb|role=search|search"), "navigation"),
    (re.compile(r"\bform\b|comment|respond|reply|disqus"), "comment section"),
    (re.compile(r"share|sharing|social|sharedaddy"), "share bar"),
    (re.compile(r"\baside\b|sidebar"), "sidebar"),
    (re.compile(r"related|recommend|most-read|popular|widget|newsletter|subscribe"),
     "related links"),
    (re.compile(r"\btime\b|tags?-|tags\b|cat-links|entry-meta|byline|author|date|posted"),
     "byline, date or tag list"),
    (re.compile(r"\bfooter\b|colophon|copyright"), "page footer"),
    (re.compile(r"\bheader\b|masthead|branding|logo"), "page header"),
]  # fmt: skip
_BLOCK_TEXT_LIMIT = 2000
MAX_DEPTH = 200
"""Pages nested deeper than this are refused: no article needs it, and it is a parser attack."""
MAX_BYTES = 32 * 1024 * 1024
"""Pages larger than this are refused: no news page is, and extraction time grows with size."""


@dataclass
class Extracted:
    """An extracted article: its text (paragraphs joined by blank lines), places and blocks."""

    text: str
    places: list[Place]
    blocks: list[Block]
    title: str


def _norm(text: str) -> str:
    """Collapse runs of ASCII white space (a no-break space is kept: it is part of the text)."""
    return _SPACE.sub(" ", text).strip()


def _key(text: str) -> str:
    """Text as compared with the extractor's output, which turns every space into a space."""
    return " ".join(text.split())


def _text_of(data: bytes, path: str) -> str:
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii").lower() if match else "utf-8"
    if charset.replace("_", "-") in ("utf-8", "utf8"):
        return decode(data, path)
    try:
        return data.decode(charset).replace("\r\n", "\n")
    except LookupError:
        raise InputError(f"declares an unknown charset {charset!r}", path) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not valid {charset} text, as the page declares", path, line) from None


def _parse(text: str, path: str) -> Any:
    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, 1), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"cannot be parsed as HTML ({exc})", path) from None
    depth, stack = 0, [(root, 1)]
    while stack:
        element, level = stack.pop()
        depth = max(depth, level)
        if depth > MAX_DEPTH:
            raise InputError(
                f"the page nests elements more than {MAX_DEPTH} deep; no article needs that",
                path,
                element.sourceline,
            )
        stack.extend((child, level + 1) for child in element)
    _replace_not_xml(root)
    for element in list(root.iter(*_INVISIBLE)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        for name in [a for a in element.attrib if a.lower().startswith("on")]:
            del element.attrib[name]
    for br in root.iter("br"):  # a line break separates words, in the text as on the screen
        br.tail = "\n" + (br.tail or "")
    return root


def _replace_not_xml(root: Any) -> None:
    """Make every character XML cannot hold U+FFFD, which the ``encoding`` check reports.

    lxml's HTML parser keeps them (from bytes or entities such as ``&#x1f;``) but refuses them
    when text is set, as the extractor and the line-break handling do.
    """
    for element in root.iter():
        if element.text and NOT_XML.search(element.text):
            element.text = NOT_XML.sub("\ufffd", element.text)
        if element.tail and NOT_XML.search(element.tail):
            element.tail = NOT_XML.sub("\ufffd", element.tail)
        for name, value in element.attrib.items():
            if NOT_XML.search(value):
                element.attrib[name] = NOT_XML.sub("\ufffd", value)


def _title(root: Any) -> str:
    """The article's headline, as trafilatura finds it (a lone h1, title metadata, <title>)."""
    try:
        from trafilatura.metadata import extract_title
    except ImportError:  # an older trafilatura: a lone h1 is the headline
        headlines = root.findall(".//h1")
        return _norm(headlines[0].text_content()) if len(headlines) == 1 else ""
    return _norm(extract_title(root) or "")


def _extracted_paragraphs(root: Any) -> tuple[str, list[str]]:
    import trafilatura  # deferred: a heavy import that only HTML input needs

    # No metadata: its date search and fingerprint take most of the time, and only the title
    # is wanted, which _title finds.
    options: dict[str, Any] = {
        "output_format": "xml",
        "with_metadata": False,
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "include_links": False,
        "deduplicate": False,
    }
    result = trafilatura.extract(copy.deepcopy(root), favor_precision=True, **options)
    if not result:
        result = trafilatura.extract(copy.deepcopy(root), favor_recall=True, **options)
    if not result:
        return "", []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    doc = etree.fromstring(result.encode("utf-8"), parser)
    main = doc.find("main")
    paragraphs: list[str] = []
    if main is not None:
        for element in main.iter(*_PARAGRAPHS):
            if any(a.tag in _PARAGRAPHS for a in element.iterancestors()):
                continue
            text = _norm(" ".join(element.itertext()))
            if text:
                paragraphs.append(text)
    return _title(copy.deepcopy(root)), paragraphs


def _deepest(elements: list[Any], norms: list[str], start: int, want: str, exact: bool) -> int:
    """Index of the deepest element from ``start`` on whose text equals (or holds) ``want``."""
    for i in range(start, len(elements)):
        if norms[i] == want if exact else want in norms[i]:
            best, j = i, i + 1
            while j < len(elements) and elements[best] in elements[j].iterancestors():
                if norms[j] == want if exact else want in norms[j]:
                    best = j
                j += 1
            return best
    return -1


def _reason(element: Any, stop: Any) -> str:
    node = element
    while node is not None and node is not stop:
        label = " ".join(
            [
                str(node.tag),
                str(node.get("class", "")),
                str(node.get("id", "")),
                f"role={node.get('role', '')}",
            ]
        ).lower()
        for pattern, reason in _REASONS:
            if pattern.search(label):
                return reason
        node = node.getparent()
    return "page furniture"


def extract_article(data: bytes, path: str) -> Extracted:
    """Extract the article of an HTML page; raise ``InputError`` when there is none."""
    if len(data) > MAX_BYTES:
        raise InputError(
            f"the page is {len(data) / 2**20:.0f} MiB; pages over "
            f"{MAX_BYTES // 2**20} MiB are not read (save the article alone)",
            path,
        )
    root = _parse(_text_of(data, path), path)
    title, paragraphs = _extracted_paragraphs(root)
    if not paragraphs and not title:
        raise InputError(
            "no article text found in the page (is it only navigation, or rendered by script?)",
            path,
        )
    tree = root.getroottree()
    body = root.find("body")
    scope = body if body is not None else root
    elements = [e for e in scope.iter() if isinstance(e.tag, str)]
    norms = [_key(e.text_content()) for e in elements]
    if title and (not paragraphs or _key(paragraphs[0]) != _key(title)):
        paragraphs.insert(0, title)
    places: list[Place] = []
    matched: dict[Any, int] = {}
    pos, cursor = 0, 0
    for number, extracted in enumerate(paragraphs):
        para, want = extracted, _key(extracted)
        found = _deepest(elements, norms, cursor, want, exact=True)
        if found >= 0:
            para = paragraphs[number] = _norm(elements[found].text_content())
        else:
            found = _deepest(elements, norms, cursor, want, exact=False)
        if found < 0:
            found = _deepest(elements, norms, 0, want, exact=False)
        path_of: str | None = None
        if found >= 0:
            matched.setdefault(elements[found], number)
            path_of = tree.getpath(elements[found])
            cursor = found + 1
        elif number == 0 and title and want == _key(title):
            head_title = root.find("head/title")
            path_of = tree.getpath(head_title) if head_title is not None else None
        places.append(Place(pos, pos + len(para), element=path_of))
        pos += len(para) + 2
    text = "\n\n".join(paragraphs)
    return Extracted(text, places, _furniture(scope, matched, places, len(text), tree), title)


def _furniture(
    scope: Any, matched: dict[Any, int], places: list[Place], end: int, tree: Any
) -> list[Block]:
    """List the visible page content outside the article, in page order, as blocks."""
    ancestors: set[Any] = set()
    for element in matched:
        ancestors.update(element.iterancestors())
    blocks: list[tuple[Any, str]] = []
    order: list[tuple[str, Any]] = []

    def walk(element: Any) -> None:
        if element in matched:
            order.append(("article", element))
            return
        if element in ancestors:
            for child in element:
                if isinstance(child.tag, str):
                    walk(child)
            return
        text = _norm(" ".join(element.itertext()))
        if text:
            blocks.append((element, text))
            order.append(("block", element))

    walk(scope)
    out: list[Block] = []
    pending: list[tuple[Any, str]] = []
    texts = dict(blocks)

    def flush(offset: int) -> None:
        for element, text in pending:
            shown = text if len(text) <= _BLOCK_TEXT_LIMIT else text[:_BLOCK_TEXT_LIMIT] + "…"
            out.append(
                Block(
                    shown,
                    offset,
                    offset,
                    "boilerplate",
                    _reason(element, scope.getparent()),
                    element=tree.getpath(element),
                )
            )
        pending.clear()

    for kind, element in order:
        if kind == "block":
            pending.append((element, texts[element]))
        else:
            flush(places[matched[element]].start)
    flush(end)
    return out


def read_html(path: str, source: str | None, source_lang: str, target_lang: str) -> Document:
    """Read a translated page (and its source, a page or a text file) as one document."""
    data = read_bytes(path)
    path = display_name(path)
    article = extract_article(data, path)
    source_text: str | None = None
    if source is not None:
        if Path(source).suffix.lower() in (".html", ".htm", ".xhtml"):
            source_text = extract_article(read_bytes(source), source).text
        else:
            source_text = decode(read_bytes(source), source)
    doc_id = document_id(path)
    return Document(
        doc_id,
        article.text,
        source_text,
        source_lang,
        target_lang,
        origin=path,
        metadata={"format": "html", "title": article.title},
        places=article.places,
        blocks=article.blocks,
    )
