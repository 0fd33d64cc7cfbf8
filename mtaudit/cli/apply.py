"""``mtaudit apply``: turn a reviewer's exported corrections into corrected articles."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mtaudit.apply import (
    ApplyResult,
    CorrectedDocument,
    apply_corrections,
    output_name,
    parse_corrections,
)
from mtaudit.atomic import write_text_atomic
from mtaudit.cli.exits import quiet
from mtaudit.cli.paths import refuse_overwrite
from mtaudit.errors import UsageError
from mtaudit.runfile import load_run, read_json


@click.command("apply")
@click.argument(
    "corrections_file", metavar="CORRECTIONS.json", type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option(
    "--run",
    "run_file",
    required=True,
    metavar="RUN",
    type=click.Path(),
    help="The run the HTML report was made from (it holds the full article texts): JSON, JSON "
    "Lines or an --executor ray results folder.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(dir_okay=False, writable=True),
    help="Write the one corrected article to FILE (default: standard output).",
)
@click.option(
    "-d",
    "--out-dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write each corrected article to DIR/<article id>.txt (created if missing).",
)
@click.option(
    "--document",
    "document_id",
    metavar="ID",
    help="Only this article (its id in the run).",
)
@click.option(
    "--all",
    "all_documents",
    is_flag=True,
    help="With --out-dir, write every article of the run, not only the reviewed ones.",
)
def apply(
    corrections_file: str,
    run_file: str,
    output: str | None,
    out_dir: str | None,
    document_id: str | None,
    all_documents: bool,
) -> None:
    """Apply the corrections exported from the HTML report to the articles of a run.

    Each corrected sentence replaces the original at its offsets in the article's full text;
    everything else (spacing, paragraphs) is kept. Sentences marked fine are left as they are.
    If any decision no longer matches the run (unknown article, changed sentence) nothing is
    written and every mismatch is listed.

    With neither -o nor -d the corrected article goes to standard output; that and -o need
    exactly one article: the run has one, one was reviewed, or --document names it.

    \b
    Examples:
      mtaudit apply corrections.json --run run.json -o article.corrected.txt
      mtaudit apply corrections.json --run run.json -d corrected/
      mtaudit apply corrections.json --run run.json --document article-1
    """  # noqa: D301 (click's \b marks a paragraph kept as written)
    if output and out_dir:
        raise UsageError("give either -o/--output (one article) or -d/--out-dir, not both")
    if all_documents and not out_dir:
        raise UsageError("--all needs -d/--out-dir")
    refuse_overwrite({"-o/--output": output}, [corrections_file, run_file])
    corrections = parse_corrections(read_json(corrections_file), origin=corrections_file)
    run = load_run(run_file)
    result = apply_corrections(run, corrections, origin=corrections_file)
    chosen = _choose(result, corrections_file, document_id, all_documents)
    for note in [] if quiet() else result.notes:
        click.echo(f"note: {note}", err=True)
    if out_dir:
        directory = Path(out_dir)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{directory}: cannot create: {exc.strerror}") from None
        targets = [(doc, directory / output_name(doc.id)) for doc in chosen]
        refuse_overwrite(
            {f"-d/--out-dir ({doc.id})": str(path) for doc, path in targets},
            [corrections_file, run_file],
        )
        for doc, target in targets:
            path = write_text_atomic(doc.text, target)
            click.echo(_line(doc, str(path)), err=True)
        return
    if len(chosen) != 1:
        ids = ", ".join(repr(d.id) for d in chosen[:5])
        raise UsageError(
            f"{len(chosen)} articles to write ({ids}{', ...' if len(chosen) > 5 else ''}); "
            "use -d/--out-dir DIR, or --document ID for one of them"
        )
    doc = chosen[0]
    if output:
        write_text_atomic(doc.text, output)
        click.echo(_line(doc, output), err=True)
    else:
        sys.stdout.write(doc.text if doc.text.endswith("\n") else doc.text + "\n")


def _choose(
    result: ApplyResult, origin: str, document_id: str | None, all_documents: bool
) -> list[CorrectedDocument]:
    if document_id is not None:
        found = [d for d in result.documents if d.id == document_id]
        if not found:
            raise UsageError(f"the run has no article {document_id!r}")
        return found
    if all_documents or len(result.documents) == 1:
        return result.documents
    reviewed = [d for d in result.documents if d.corrected or d.fine]
    if not reviewed:
        raise UsageError(f"{origin}: no decision in this file; nothing to apply")
    return reviewed


def _line(doc: CorrectedDocument, where: str) -> str:
    return f"{doc.id}: {doc.corrected} corrected, {doc.fine} fine -> {where}"
