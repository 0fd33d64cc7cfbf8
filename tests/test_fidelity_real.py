"""Fidelity on real data: the real opus-mt pair (when pulled) and the shared FLORES outputs."""

from __future__ import annotations

from pathlib import Path
from statistics import mean

import pytest

from mtaudit.config import Config
from mtaudit.models.paths import model_present
from mtaudit.signals.fidelity import FidelitySignal
from mtaudit.text.compare import chrf
from mtaudit.translate.cache import TranslationCache
from mtaudit.translate.engine import open_backend, translation_key
from mtaudit.translate.settings import cache_path, engine_for
from mtaudit.types import Pair, Sentence
from tests.helpers.translate_fixtures import make_config

pytestmark = pytest.mark.usefixtures("no_model_env")

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FLORES = DATA / "flores-dev" / "ar-en"


@pytest.mark.real_models
def test_real_opus_mt_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MTAUDIT_MODELS_DIR", raising=False)  # the project's own models/
    config = Config.load().with_overrides({"translation.cache": str(tmp_path / "c.sqlite3")})
    specs = [engine_for(config, d) for d in ("ar-en", "en-ar")]
    if not all(s is not None and model_present(config, s) for s in specs):
        pytest.skip("the real opus-mt models are not in models/ (mtaudit models pull)")
    ar_en, en_ar = (open_backend(config, s) for s in specs if s is not None)
    english = ar_en.translate(["قال وزير النفط يوم الاثنين إن الإنتاج ارتفع."])[0]
    assert "minister" in english.lower()
    arabic = en_ar.translate(["The oil minister said on Monday that production rose."])[0]
    assert any("\u0600" <= c <= "\u06ff" for c in arabic)
    back = ar_en.translate([arabic])[0]
    assert chrf(back, "The oil minister said on Monday that production rose.", "en") > 40


@pytest.mark.skipif(not FLORES.is_dir(), reason="shared FLORES data not available")
def test_flores_forward_fidelity_ranks_systems(tmp_path: Path) -> None:
    n = 120
    src = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()[:n]
    opus = (FLORES / "flores-dev.opusmt.en").read_text(encoding="utf-8").splitlines()[:n]
    config = make_config(tmp_path / "none", tmp_path / "c.sqlite3")
    spec = engine_for(config, "ar-en")
    assert spec is not None
    with TranslationCache(cache_path(config)) as cache:
        cache.put_many(translation_key(config, spec), zip(src, opus, strict=True))
    signal = FidelitySignal(config)
    ref = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()[:n]
    worst, best = [], []
    for system in ("google", "argos", "nllb"):
        lines = (FLORES / f"flores-dev.{system}.en").read_text(encoding="utf-8").splitlines()[:n]
        pairs = [
            Pair("flores", Sentence(i, t, 0, len(t)), s)
            for i, (s, t) in enumerate(zip(src, lines, strict=True))
        ]
        statuses = {s.name: s.ran for s in signal.status(pairs)}
        assert statuses == {"fidelity.back_translation": False, "fidelity.forward": True}
        outputs = signal.score(pairs)
        assert all("chrf_forward" in o.values and o.texts["suggestion"] for o in outputs)
        quality = sorted(
            (chrf(t, r, "en"), o.values["chrf_forward"])
            for t, r, o in zip(lines, ref, outputs, strict=True)
        )
        worst += [f for _, f in quality[: n // 4]]
        best += [f for _, f in quality[-n // 4 :]]
    # sentences far from the human reference are also far from the independent translation
    assert mean(worst) < mean(best) - 10
