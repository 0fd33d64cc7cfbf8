"""The Hugging Face Hub, seen through the two calls the store needs: resolve and download.

``resolve`` turns a revision (a branch, a tag or a commit) into the commit it names today;
``download`` fetches the files of exactly that commit and checks each against the hash the hub
lists for it (SHA-256 for LFS files such as weights, the git blob id for the rest). Hub errors
become ``PullError`` with the fix, or ``RevisionNotFound`` for the store to explain.
huggingface_hub is imported only here, only when a pull runs, and reads ``HF_ENDPOINT`` then.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from mtaudit.errors import PullError
from mtaudit.extras import require_neural


class RevisionNotFound(Exception):
    """The repository exists but has no such revision (never had it, or it was deleted)."""


class Hub(Protocol):
    """Where models come from."""

    def resolve(self, repo_id: str, revision: str) -> str:
        """Return the 40-character commit that ``revision`` names in ``repo_id``."""
        ...

    def download(
        self, repo_id: str, commit: str, local_dir: Path, allow_patterns: Sequence[str]
    ) -> None:
        """Fetch the files of ``commit`` matching ``allow_patterns`` into ``local_dir``."""
        ...


class HfHub:
    """The real hub through huggingface_hub; ``endpoint`` defaults to ``$HF_ENDPOINT``."""

    def __init__(self, endpoint: str | None = None) -> None:
        require_neural("mtaudit models pull")
        self.endpoint = endpoint or os.environ.get("HF_ENDPOINT") or None

    def _fail(self, repo_id: str, revision: str, exc: Exception) -> PullError:
        from huggingface_hub.errors import OfflineModeIsEnabled, RepositoryNotFoundError

        where = f"{repo_id}@{revision}"
        if isinstance(exc, OfflineModeIsEnabled):
            return PullError(
                f"cannot fetch {where}: HF_HUB_OFFLINE is set", "unset HF_HUB_OFFLINE to pull"
            )
        if isinstance(exc, RepositoryNotFoundError):
            return PullError(
                f"cannot fetch {where}: the hub has no repository {repo_id!r}",
                "correct hub_id under [models.<name>] in your config",
            )
        return PullError(f"cannot fetch {where}: {type(exc).__name__}: {exc}")

    def resolve(self, repo_id: str, revision: str) -> str:
        """Ask the hub which commit ``revision`` is (``GET /api/models/<id>/revision/<rev>``)."""
        from huggingface_hub import HfApi
        from huggingface_hub.errors import RevisionNotFoundError

        try:
            info = HfApi(endpoint=self.endpoint).model_info(repo_id, revision=revision)
        except RevisionNotFoundError:
            raise RevisionNotFound(revision) from None
        except Exception as exc:  # network, auth, hub down: one clear message
            raise self._fail(repo_id, revision, exc) from None
        if not info.sha:
            raise PullError(f"the hub did not say which commit {repo_id}@{revision} is")
        return str(info.sha)

    def download(
        self, repo_id: str, commit: str, local_dir: Path, allow_patterns: Sequence[str]
    ) -> None:
        """``snapshot_download`` of exactly ``commit`` into ``local_dir``."""
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import RevisionNotFoundError

        try:
            snapshot_download(
                repo_id=repo_id,
                revision=commit,
                local_dir=str(local_dir),
                allow_patterns=list(allow_patterns),
                endpoint=self.endpoint,
            )
        except RevisionNotFoundError:
            raise RevisionNotFound(commit) from None
        except Exception as exc:
            raise self._fail(repo_id, commit, exc) from None
        self._check(repo_id, commit, local_dir)

    def _check(self, repo_id: str, commit: str, local_dir: Path) -> None:
        """Compare every downloaded file with the hub's hash (LFS SHA-256 or git blob id)."""
        from huggingface_hub import HfApi

        try:
            report = HfApi(endpoint=self.endpoint).verify_repo_checksums(
                repo_id, revision=commit, local_dir=local_dir
            )
        except Exception as exc:
            raise self._fail(repo_id, commit, exc) from None
        if report.mismatches:
            names = ", ".join(str(m["path"]) for m in report.mismatches)
            raise PullError(
                f"{repo_id}@{commit}: downloaded files differ from the hub's hashes ({names})",
                "run the pull again; if it repeats, the download is being altered on the way",
            )
