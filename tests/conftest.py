"""Shared pytest fixtures; each area keeps its fixtures in its own module, imported here."""

from translate_fixtures import no_model_env, tiny_ct2_models, tiny_models  # noqa: F401
