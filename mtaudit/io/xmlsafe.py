"""Parse XML files (XLIFF, TMX) safely, and report bad ones the way every reader does.

No external entity is ever loaded, no entity is ever expanded, nothing is fetched from the
network and libxml2's limits on huge documents stay on. A file whose DOCTYPE declares entities
is refused: translation files have no use for them, and their references would otherwise reach
the text unexpanded.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from mtaudit.errors import InputError
from mtaudit.io.decode import read_bytes

__all__ = [
    "NOT_XML",
    "display_name",
    "document_id",
    "local",
    "parse_xml",
    "read_bytes",
    "read_xml",
]

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters an XML document cannot hold (control characters, surrogates, U+FFFE/U+FFFF)."""


def display_name(path: str) -> str:
    """How errors name an input: ``<stdin>`` for ``-``, else the path as given."""
    return "<stdin>" if path == "-" else path


def document_id(name: str) -> str:
    """A document id from an input's name: the file name up to its first dot."""
    if name == "<stdin>":
        return "stdin"
    return Path(name).name.split(".")[0] or Path(name).stem


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
    )


def parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse ``data`` and return the root element; raise ``InputError`` with the line if bad."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).split(", line ")[0]
        depth = re.match(r"Excessive depth in document: (\d+)", message)
        if depth:  # libxml2's limit, which the user cannot lift
            message = f"elements nested more than {depth[1]} deep; no translation file needs that"
        raise InputError(f"malformed XML ({message})", path, exc.lineno or None) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        line = data.count(b"\n", 0, max(data.find(b"<!ENTITY"), 0)) + 1
        raise InputError(
            "the DOCTYPE declares entities, which mtaudit never expands; remove the DOCTYPE",
            path,
            line,
        )
    return root


def read_xml(path: str, root_name: str, kind: str) -> tuple[etree._Element, str]:
    """Read and parse ``path`` (``-``: stdin), whose root must be ``<root_name>``.

    Returns the root element and the name to report the file by; raises ``InputError``.
    """
    name = display_name(path)
    root = parse_xml(read_bytes(path), name)
    if local(root) != root_name:
        raise InputError(
            f"not {kind} file (the root element is <{local(root)}>, not <{root_name}>)",
            name,
            root.sourceline or None,
        )
    return root, name


def local(element: etree._Element) -> str:
    """The element's tag without its namespace (``""`` for comments and entities)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
