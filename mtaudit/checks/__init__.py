"""Deterministic, model-free checks: one module per family, registered here in one place."""

from __future__ import annotations

from mtaudit.checks.base import Check, CheckSettings, DocContext, Hit, RunHit
from mtaudit.checks.casing import CasingCheck
from mtaudit.checks.consistency import ConsistencyCheck
from mtaudit.checks.encoding import EncodingCheck
from mtaudit.checks.glossary import GlossaryCheck
from mtaudit.checks.length import LengthCheck
from mtaudit.checks.marks import MarksCheck
from mtaudit.checks.numbers import NumbersCheck
from mtaudit.checks.patterns import PatternsCheck
from mtaudit.checks.punctuation import BracketsCheck, TruncationCheck
from mtaudit.checks.repetition import RepetitionCheck
from mtaudit.checks.rules import RulesCheck
from mtaudit.checks.script import ScriptCheck
from mtaudit.checks.segments import SegmentsCheck
from mtaudit.checks.tags import TagsCheck
from mtaudit.checks.terms import TermsCheck
from mtaudit.checks.units import UnitsCheck
from mtaudit.checks.untranslated import UntranslatedCheck
from mtaudit.config import Config

CHECKS: dict[str, type[Check]] = {
    cls.id: cls
    for cls in (
        NumbersCheck,
        ScriptCheck,
        RepetitionCheck,
        LengthCheck,
        BracketsCheck,
        TruncationCheck,
        CasingCheck,
        EncodingCheck,
        GlossaryCheck,
        SegmentsCheck,
        TagsCheck,
        UntranslatedCheck,
        PatternsCheck,
        MarksCheck,
        UnitsCheck,
        TermsCheck,
        RulesCheck,
        ConsistencyCheck,
    )
}

__all__ = ["CHECKS", "Check", "CheckSettings", "DocContext", "Hit", "RunHit", "build_checks"]


def build_checks(config: Config) -> list[Check]:
    """Instantiate every check the configuration enables, in registry order."""
    return [cls.from_config(config) for cls in CHECKS.values() if cls.read_settings(config).enabled]
