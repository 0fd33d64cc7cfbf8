"""``mtaudit models``: pull, list, verify and convert the configured models."""

from __future__ import annotations

import click

from mtaudit.cli.options import config_option
from mtaudit.config import Config


def load_config(path: str | None) -> Config:
    """Load (and validate) the configuration."""
    return Config.load(path)


@click.group("models")
def models() -> None:
    """Fetch, list and check the configured models (translators, fluency LM) under models/.

    \b
    Examples:
      mtaudit models list
      mtaudit models pull                      # every configured model
      mtaudit models pull opus-mt-en-ar
      mtaudit models verify
    """  # noqa: D301


@models.command("list")
@config_option
def list_models(config_path: str | None) -> None:
    """Show each configured model: present, converted, or missing (with the fix).

    \b
    Example:
      mtaudit models list
    """  # noqa: D301
    from mtaudit.models.store import states

    config = load_config(config_path)
    rows = states(config)
    for state in rows:
        spec = state.spec
        if state.present:
            forms = ", ".join(
                f for f, ok in (("transformers", state.hf), ("ct2-int8", state.ct2)) if ok
            )
            mark = click.style("present", fg="green")
            detail = f"{forms}  {state.hf_path if state.hf else state.ct2_path}"
        else:
            mark = click.style("missing", fg="red")
            detail = f"fix: mtaudit models pull {spec.name}"
        click.echo(
            f"{spec.name:<20} {spec.direction:<6} {mark:<7}  {spec.hub_id}@{spec.revision[:12]}"
        )
        click.echo(f"{'':<20} {detail}")
        if state.commit:
            click.echo(f"{'':<20} commit {state.commit} (locked from revision {state.revision})")


@models.command("pull")
@click.argument("names", nargs=-1)
@click.option("--no-convert", is_flag=True, help="Do not make the CTranslate2 int8 copy.")
@click.option("--force", is_flag=True, help="Fetch and convert again even if present.")
@click.option(
    "--revision",
    metavar="REV",
    help="Fetch this branch, tag or commit instead of the pinned revision, and lock the model "
    "to the commit it names now (e.g. --revision main when the pinned one is gone).",
)
@config_option
def pull_models(
    names: tuple[str, ...],
    no_convert: bool,
    force: bool,
    revision: str | None,
    config_path: str | None,
) -> None:
    """Fetch models from the Hugging Face Hub at their pinned (or locked) revisions.

    The only command that uses the network. Records the commit and the files' SHA-256 in
    models/manifest.toml (the lock that runs and `models verify` use) and converts each model to
    CTranslate2 int8.

    \b
    Examples:
      mtaudit models pull
      mtaudit models pull opus-mt-ar-en --no-convert
      mtaudit models pull opus-mt-en-ar --revision main
    """  # noqa: D301
    from mtaudit.models.store import pull

    config = load_config(config_path)
    pulled = pull(config, names, revision=revision, convert=not no_convert, force=force)
    for state in pulled:
        click.echo(
            f"{state.spec.name}: {state.hf_path}"
            + (f" (+ {state.ct2_path.name})" if state.ct2 else "")
            + (f" at commit {state.commit}" if state.commit else "")
        )


@models.command("verify")
@click.argument("names", nargs=-1)
@config_option
def verify_models(names: tuple[str, ...], config_path: str | None) -> None:
    """Check model files against the SHA-256 recorded at pull time; exit 2 on any mismatch.

    \b
    Example:
      mtaudit models verify opus-mt-ar-en
    """  # noqa: D301
    from mtaudit.models.store import verify

    config = load_config(config_path)
    results = verify(config, names)
    bad = 0
    for result in results:
        if result.ok:
            click.echo(
                f"{result.name}: ok ({result.checked} files, commit {result.commit} "
                f"from revision {result.revision})"
            )
            continue
        bad += 1
        click.echo(f"{result.name}: {len(result.problems)} problem(s)", err=True)
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
        force = "" if result.checked == 0 else "--force "
        click.echo(f"  fix: mtaudit models pull {force}{result.name}", err=True)
    if bad:
        raise SystemExit(2)


@models.command("convert")
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Convert again even if a conversion exists.")
@config_option
def convert_models(names: tuple[str, ...], force: bool, config_path: str | None) -> None:
    """Convert pulled models to CTranslate2 int8 under models/<name>-ct2-int8/.

    \b
    Example:
      mtaudit models convert opus-mt-ar-en
    """  # noqa: D301
    from mtaudit.models.convert import convert
    from mtaudit.models.paths import ct2_dir, hf_dir
    from mtaudit.models.specs import configured_models, model_spec

    config = load_config(config_path)
    specs = [model_spec(config, n) for n in names] if names else configured_models(config)
    for spec in specs:
        out = convert(hf_dir(config, spec), ct2_dir(config, spec), force=force)
        click.echo(f"{spec.name}: {out}")
