"""``mtaudit cache``: import existing translations, show and clear the translation cache."""

from __future__ import annotations

from pathlib import Path

import click

from mtaudit.cli.models import config_option, load_config
from mtaudit.errors import MtauditError


@click.group("cache")
def cache() -> None:
    r"""Manage the translation cache (SQLite; shared by concurrent runs).

    \b
    Examples:
      mtaudit cache import --model opus-mt-ar-en --direction ar-en doc.ar doc.mt.en
      mtaudit cache stats
      mtaudit cache clear --model opus-mt-ar-en --yes
    """


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror}") from None


@cache.command("import")
@click.option("--model", "model_name", required=True, help="Model name from the configuration.")
@click.option("--direction", required=True, help="Direction of the translations, e.g. ar-en.")
@click.argument("sources", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("translations", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@config_option
def import_translations(
    model_name: str, direction: str, sources: Path, translations: Path, config_path: Path | None
) -> None:
    r"""Load existing translations (one a line, aligned) as if MODEL had produced them.

    Rows are keyed by the model's hub id, pinned revision and the configured decoding settings,
    so a later audit with the same configuration uses them instead of running the model.

    \b
    Example:
      mtaudit cache import --model opus-mt-ar-en --direction ar-en \\
          flores-dev.ar flores-dev.opusmt.en
    """
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.engine import translation_key
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    src, out = _read_lines(sources), _read_lines(translations)
    if len(src) != len(out):
        raise click.ClickException(
            f"{sources} has {len(src)} lines but {translations} has {len(out)}; they must align"
        )
    try:
        spec = model_spec(config, model_name)
        if spec.direction != direction:
            raise click.ClickException(
                f"model {model_name} translates {spec.direction}, not {direction}"
            )
        with TranslationCache(cache_path(config)) as store:
            written = store.put_many(
                translation_key(config, spec),
                ((s, t) for s, t in zip(src, out, strict=True) if s.strip()),
                origin=f"import:{translations.name}",
            )
            path = store.path
    except MtauditError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"imported {written} {direction} translations for {model_name} into {path}")


@cache.command("stats")
@config_option
def stats(config_path: Path | None) -> None:
    r"""Show how many translations are cached, per model, direction, settings and origin.

    \b
    Example:
      mtaudit cache stats
    """
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    path = cache_path(config)
    if not path.exists():
        click.echo(f"{path}: no cache yet")
        return
    try:
        with TranslationCache(path) as store:
            rows = store.stats()
    except MtauditError as exc:
        raise click.ClickException(str(exc)) from None
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
    model_name: str | None, direction: str | None, yes: bool, config_path: Path | None
) -> None:
    r"""Delete cached translations (all, or one model's / one direction's).

    \b
    Examples:
      mtaudit cache clear --yes
      mtaudit cache clear --model opus-mt-en-ar
    """
    from mtaudit.models.specs import model_spec
    from mtaudit.translate.cache import TranslationCache
    from mtaudit.translate.settings import cache_path

    config = load_config(config_path)
    path = cache_path(config)
    if not path.exists():
        click.echo(f"{path}: no cache yet")
        return
    try:
        hub_id = model_spec(config, model_name).hub_id if model_name else None
        what = " and ".join(filter(None, [model_name, direction])) or "all"
        if not yes:
            click.confirm(f"Delete {what} cached translations from {path}?", abort=True)
        with TranslationCache(path) as store:
            removed = store.clear(hub_id, direction)
    except MtauditError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"removed {removed} cached translations")
