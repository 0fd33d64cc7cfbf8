"""JUnit XML for CI test reporters (GitLab, Jenkins, GitHub): one test case per document.

The shape is the common one those reporters read: ``<testsuites>`` holding one ``<testsuite>``
per input file, each holding a ``<testcase>`` per document (class name: the input file; name:
the document id). A document over budget gets a ``<failure>`` listing its problem sentences
with severity, checks, reasons and line/offset; a document that could not be read gets an
``<error>``; problems a baseline knows go to ``<system-out>``. Built with lxml, never by
pasting strings.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import UTC, datetime

from lxml import etree

from mtaudit.atomic import write_text_atomic
from mtaudit.reports import CiFormat
from mtaudit.reports.problems import NEW, Gated, Problem
from mtaudit.runfile import Run

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/F)."""
    return _XML_BAD.sub("", text)


def _problem_text(problem: Problem) -> str:
    lines = [problem.describe()]
    lines += [f"    - {r}" for r in problem.sentence.reasons]
    return "\n".join(lines)


def build(
    run: Run,
    problems: list[Problem],
    failed: Collection[int],
    breaches: Mapping[int, list[str]],
    file_of: list[str],
) -> etree._Element:
    """The ``<testsuites>`` element of a run.

    ``failed`` are the positions of documents over budget, ``breaches`` the budget lines per
    document position (run-wide breaches are listed on every failed document), ``file_of`` the
    input file (class name) of each document.
    """
    by_doc: dict[int, list[Problem]] = {}
    for problem in problems:
        by_doc.setdefault(problem.document, []).append(problem)
    root = etree.Element("testsuites", name="mtaudit")
    suites: dict[str, etree._Element] = {}
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    for d, doc in enumerate(run.documents):
        classname = _clean(file_of[d])
        suite = suites.get(classname)
        if suite is None:
            suite = etree.SubElement(root, "testsuite", name=classname, timestamp=stamp)
            suites[classname] = suite
        case = etree.SubElement(
            suite, "testcase", classname=classname, name=_clean(doc.id), time="0"
        )
        if doc.error:
            error = etree.SubElement(
                case, "error", message=_clean(f"cannot audit: {doc.error}"), type="input"
            )
            error.text = _clean(doc.error)
            continue
        mine = by_doc.get(d, [])
        new = [p for p in mine if p.status == NEW]
        if d in failed:
            reasons = breaches.get(d, [])
            failure = etree.SubElement(
                case,
                "failure",
                message=_clean(
                    f"over budget: {len(new)} new problem sentence(s) of "
                    f"{doc.summary.sentences}; " + "; ".join(reasons)
                ),
                type="mtaudit.budget",
            )
            failure.text = _clean("\n".join(_problem_text(p) for p in new) + "\n")
        quiet = [p for p in mine if p.status != NEW or d not in failed]
        if quiet:
            out = etree.SubElement(case, "system-out")
            out.text = _clean("\n".join(_problem_text(p) for p in quiet) + "\n")
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
        suite.set("skipped", "0")
        suite.set("time", "0")
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(sum(int(s.get(name, "0")) for s in suites.values())))
    root.set("time", "0")
    return root


def dumps(root: etree._Element) -> str:
    """Serialise the XML (UTF-8, with declaration)."""
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode("utf-8")


def write(root: etree._Element, path: str) -> None:
    """Write the XML atomically."""
    write_text_atomic(dumps(root), path)


def _render(gated: Gated) -> str:
    return dumps(build(gated.run, gated.problems, gated.failed, gated.breaches, gated.files))


FORMAT = CiFormat("junit", "JUnit XML, one test case per document", render=_render)
