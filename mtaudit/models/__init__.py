"""Every model mtaudit uses, in one place: the spec registry, where models live, and the store.

- :mod:`mtaudit.models.specs` — ``[models.<name>]`` entries (translators and causal LMs) as specs;
- :mod:`mtaudit.models.paths` — the models folder, each model's folders, "is it on disk";
- :mod:`mtaudit.models.store` — pull (at a pinned or locked revision), list, verify, manifest.

Importing this package does not import torch or huggingface_hub.
"""
