"""The registry of every configured model: ``[models.<name>]`` entries turned into specs.

Translators (``marian``, ``nllb``, ``m2m100``) and causal LMs (``causal-lm``) are described the
same way. Nothing here imports torch or touches the network or the disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mtaudit.errors import ConfigError

if TYPE_CHECKING:
    from mtaudit.config import Config

TRANSLATOR_KINDS = ("marian", "nllb", "m2m100")
KINDS = TRANSLATOR_KINDS  # kept name: the translator kinds
# Models that are not translators: a causal LM scores fluency in the languages it lists.
CAUSAL_LM = "causal-lm"


@dataclass(frozen=True)
class ModelSpec:
    """One model (a translator or a causal LM) as the configuration names it.

    ``kind`` says how the model expects its languages: ``marian`` models may need a
    target-language token such as ``>>ara<<`` at the start of every input (multi-target opus-mt
    models); ``nllb`` and ``m2m100`` models take source and target language codes.
    """

    name: str
    hub_id: str
    revision: str
    source_lang: str
    target_lang: str
    kind: str = "marian"
    source_code: str = ""
    target_code: str = ""
    target_token: str = ""
    languages: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()

    @property
    def direction(self) -> str:
        """The language pair as ``"ar-en"``; a causal LM's languages as ``"en"`` or ``"en,ar"``."""
        if self.kind == CAUSAL_LM:
            return ",".join(self.languages)
        return f"{self.source_lang}-{self.target_lang}"


def split_direction(direction: str) -> tuple[str, str]:
    """Turn ``"ar-en"`` into ``("ar", "en")``; raise ``ConfigError`` for anything else."""
    parts = direction.strip().split("-")
    if len(parts) != 2 or not all(parts):
        raise ConfigError(f"a direction looks like 'ar-en', got {direction!r}")
    return parts[0], parts[1]


def model_spec(config: Config, name: str) -> ModelSpec:
    """Return the spec of the model configured as ``[models.<name>]``."""
    table = config.section("models").get(name)
    if not isinstance(table, dict):
        known = ", ".join(sorted(config.section("models"))) or "none"
        raise ConfigError(f"no model named {name!r} in the configuration (known: {known})")
    kind = str(table.get("kind", "marian"))
    if kind not in (*KINDS, CAUSAL_LM):
        raise ConfigError(
            f"models.{name}.kind must be one of {', '.join((*KINDS, CAUSAL_LM))}, got {kind!r}"
        )
    required = ("hub_id", "revision") if kind == CAUSAL_LM else ("hub_id", "revision", "direction")
    for key in required:
        if not isinstance(table.get(key), str) or not table[key]:
            raise ConfigError(f"models.{name}.{key} must be a non-empty string")
    patterns = table.get("allow_patterns", [])
    languages = table.get("languages", [])
    for key, value in (("allow_patterns", patterns), ("languages", languages)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"models.{name}.{key} must be a list of strings")
    if kind == CAUSAL_LM:
        return ModelSpec(
            name=name,
            hub_id=table["hub_id"],
            revision=table["revision"],
            source_lang="",
            target_lang="",
            kind=kind,
            languages=tuple(languages),
            allow_patterns=tuple(patterns),
        )
    source, target = split_direction(table["direction"])
    spec = ModelSpec(
        name=name,
        hub_id=table["hub_id"],
        revision=table["revision"],
        source_lang=source,
        target_lang=target,
        kind=kind,
        source_code=str(table.get("source_code", "")),
        target_code=str(table.get("target_code", "")),
        target_token=str(table.get("target_token", "")),
        allow_patterns=tuple(patterns),
    )
    if kind != "marian" and not (spec.source_code and spec.target_code):
        raise ConfigError(f"models.{name}: a {kind} model needs source_code and target_code")
    return spec


def configured_models(config: Config) -> list[ModelSpec]:
    """Every model in the configuration, in file order."""
    return [model_spec(config, name) for name in config.section("models")]
