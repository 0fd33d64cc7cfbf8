"""A fake Hugging Face Hub on a loopback port, serving the routes huggingface_hub downloads by.

Routes: ``GET /api/models/<id>/revision/<rev>`` (which commit a revision is),
``GET /api/models/<id>/tree/<commit>`` (the files of a commit with their git blob ids, and the
SHA-256 of LFS files such as weights), ``HEAD`` and ``GET
/<id>/resolve/<commit>/<file>`` (a file's metadata and bytes). Unknown repositories and
revisions get the hub's own error codes (``RepoNotFound``, ``RevisionNotFound``), so
huggingface_hub raises its real exceptions. Only 127.0.0.1 is ever bound.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


@dataclass
class Repo:
    """A model repository: its commits (files by path) and its branches."""

    commits: dict[str, dict[str, bytes]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)


class FakeHub:
    """The repositories served, and every request seen (method and path)."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.requests: list[tuple[str, str]] = []
        self.url = ""
        # bytes served instead of a file's published content (a corrupted download)
        self.served: dict[str, bytes] = {}

    def publish(self, repo_id: str, files: dict[str, bytes], branch: str = "main") -> str:
        """Add a commit holding ``files`` to ``repo_id``, move ``branch`` to it; return it."""
        digest = hashlib.sha1(repo_id.encode())
        for name in sorted(files):
            digest.update(name.encode() + b"\0" + files[name])
        commit = digest.hexdigest()
        repo = self.repos.setdefault(repo_id, Repo())
        repo.commits[commit] = dict(files)
        repo.refs[branch] = commit
        return commit

    def publish_dir(self, repo_id: str, folder: Path, branch: str = "main") -> str:
        """Publish every file under ``folder`` (relative POSIX paths)."""
        files = {
            f.relative_to(folder).as_posix(): f.read_bytes()
            for f in sorted(folder.rglob("*"))
            if f.is_file()
        }
        return self.publish(repo_id, files, branch)

    def lookup(self, repo_id: str, revision: str) -> tuple[str, dict[str, bytes]] | str:
        """Return (commit, files), or the hub's error code."""
        repo = self.repos.get(repo_id)
        if repo is None:
            return "RepoNotFound"
        commit = repo.refs.get(revision, revision)
        if commit not in repo.commits:
            return "RevisionNotFound"
        return commit, repo.commits[commit]


def _tree_entry(name: str, data: bytes) -> dict[str, object]:
    """A tree entry as the hub lists it: git blob id, and LFS SHA-256 for weights."""
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
    entry: dict[str, object] = {"type": "file", "path": name, "size": len(data), "oid": blob}
    if name.endswith((".safetensors", ".bin", ".h5")):
        pointer = 134
        entry["lfs"] = {
            "oid": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "pointerSize": pointer,
        }
    return entry


def _split_repo(parts: list[str]) -> tuple[str, list[str]]:
    return "/".join(parts[:2]), parts[2:]


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str], head: bool) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _error(self, code: str, head: bool) -> None:
            status = 401 if code == "RepoNotFound" else 404
            self._send(status, b"{}", {"X-Error-Code": code, "X-Error-Message": code}, head)

        def _json(self, data: object, head: bool = False) -> None:
            body = json.dumps(data).encode()
            self._send(200, body, {"Content-Type": "application/json"}, head)

        def _serve(self, head: bool) -> None:
            path = urlsplit(self.path).path
            hub.requests.append((self.command, path))
            parts = [unquote(p) for p in path.strip("/").split("/")]
            if parts[:2] == ["api", "models"] and len(parts) >= 6:
                repo_id, rest = _split_repo(parts[2:])
                found = hub.lookup(repo_id, rest[1])
                if isinstance(found, str):
                    return self._error(found, head)
                commit, files = found
                if rest[0] == "revision":
                    siblings = [{"rfilename": name} for name in sorted(files)]
                    return self._json(
                        {"id": repo_id, "modelId": repo_id, "sha": commit, "siblings": siblings},
                        head,
                    )
                if rest[0] == "tree":
                    return self._json([_tree_entry(n, d) for n, d in sorted(files.items())], head)
            if len(parts) >= 5 and parts[2] == "resolve":
                repo_id = "/".join(parts[:2])
                found = hub.lookup(repo_id, parts[3])
                if isinstance(found, str):
                    return self._error(found, head)
                commit, files = found
                name = "/".join(parts[4:])
                if name not in files:
                    return self._error("EntryNotFound", head)
                data = hub.served.get(name, files[name])
                etag = hashlib.sha256(data).hexdigest()
                return self._send(
                    200,
                    data,
                    {"X-Repo-Commit": commit, "ETag": f'"{etag}"'},
                    head,
                )
            self._send(404, b"not found", {}, head)

        def do_GET(self) -> None:  # noqa: N802
            self._serve(head=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._serve(head=True)

    return Handler


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A running fake hub; huggingface_hub is pointed at it and allowed online for the test."""
    hub = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hub.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True, raising=False)
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
