"""``mtaudit cache``: import existing translations, show and clear the translation cache."""

from __future__ import annotations

from pathlib import Path

import click

from mtaudit.cli.exits import quiet
from mtaudit.cli.models import load_config
from mtaudit.cli.options import config_option
from mtaudit.errors import InputError, UsageError
from mtaudit.io.decode import read_text


@click.group("cache")
def cache() -> None:
    """Manage the translation cache (SQLite; shared by concurrent runs).

    \b
    Examples:
      mtaudit cache import --model opus-mt-ar-en --direction ar-en doc.ar doc.mt.en
      mtaudit cache stats
      mtaudit cache clear --model opus-mt-ar-en --yes
    """  # noqa: D301


def _read_lines(path: Path) -> list[str]:
    return read_text(str(path)).split("\n")


@cache.command("import")
@click.option("--model", "model_name", required=True, help="Model name from the configuration.")
@click.option("--direction", required=True, help="Direction of the translations, e.g. ar-en.")
@click.argument("sources", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("translations", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
def import_translations(
    model_name: str, direction: str, sources: Path, translations: Path, config_path: str | None
) -> None:
    """Load existing translations (one a line, aligned) as if MODEL had produced them.

    Rows are keyed by the model's hub id, pinned revision and the configured decoding settings,
    so a later audit with the same configuration uses them instead of running the model.

    \b
    Example:
      mtaudit cache import --model opus-mt-ar-en --direction ar-en \\
          flores-dev.ar flores-dev.opusmt.en
    """  # noqa: D301
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.engine import translation_key
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    spec = model_spec(config, model_name)
    if spec.direction != direction:
        raise UsageError(f"model {model_name} translates {spec.direction}, not {direction}")
    src, out = _read_lines(sources), _read_lines(translations)
    if src and not src[-1]:
        src.pop()
    if out and not out[-1]:
        out.pop()
    if len(src) != len(out):
        raise InputError(
            f"has {len(src)} lines but {translations} has {len(out)}; they must align",
            str(sources),
        )
    empty = [
        n for n, (s, t) in enumerate(zip(src, out, strict=True), 1) if s.strip() and not t.strip()
    ]
    if empty:
        raise InputError(
            f"{len(empty)} empty translation(s) for non-empty source lines (first at line "
            f"{empty[0]}); leave those lines out of both files",
            str(translations),
            empty[0],
        )
    with TranslationCache(cache_path(config)) as store:
        counts = store.import_pairs(
            translation_key(config, spec),
            zip(src, out, strict=True),
            origin=f"import:{translations.name}",
        )
        path = store.path
    click.echo(
        f"imported {direction} translations for {model_name} into {path}: {counts.new} new, "
        f"{counts.replaced} replaced, {counts.unchanged} unchanged"
    )
    if counts.duplicates and not quiet():
        click.echo(
            f"note: {counts.duplicates} line(s) repeat an earlier source text"
            + (
                f", {counts.conflicting} with another translation (the last is kept)"
                if counts.conflicting
                else ""
            ),
            err=True,
        )


@cache.command("stats")
@config_option
def stats(config_path: str | None) -> None:
    """Show how many translations are cached, per model, direction, settings and origin.

    \b
    Example:
      mtaudit cache stats
    """  # noqa: D301
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    path = cache_path(config)
    if not path.exists():
        click.echo(f"{path}: no cache yet")
        return
    with TranslationCache(path) as store:
        rows = store.stats()
    click.echo(f"{path}")
    total = 0
    for row in rows:
        total += row.rows
        click.echo(
            f"  {row.rows:>8}  {row.model}@{row.revision[:12]}  {row.direction}  "
            f"{row.decoding}  {row.origin}"
        )
    click.echo(f"  {total:>8}  in all")


@cache.command("clear")
@click.option("--model", "model_name", default=None, help="Only this configured model's rows.")
@click.option("--direction", default=None, help="Only this direction's rows, e.g. en-ar.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@config_option
def clear(
    model_name: str | None, direction: str | None, yes: bool, config_path: str | None
) -> None:
    """Delete cached translations (all, or one model's / one direction's).

    \b
    Examples:
      mtaudit cache clear --yes
      mtaudit cache clear --model opus-mt-en-ar
    """  # noqa: D301
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    hub_id = model_spec(config, model_name).hub_id if model_name else None
    path = cache_path(config)
    if not path.exists():
        click.echo(f"{path}: no cache yet")
        return
    what = " and ".join(filter(None, [model_name, direction])) or "all"
    if not yes:
        click.confirm(f"Delete {what} cached translations from {path}?", abort=True)
    with TranslationCache(path) as store:
        removed = store.clear(hub_id, direction)
    click.echo(f"removed {removed} cached translations")
