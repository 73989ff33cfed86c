"""The release log beside a published build: what ``hldgraph push`` publishes of it, and how a
front end without data/ (``store=sparql``) reads it back.

``hldgraph push --published-url FOLDER`` copies the files of ``data/release-log`` as they are to
``FOLDER/release-log/``, beside the build's files and swapped in with them, and writes there an
index of them, ``release-log/index.json``::

    {"files": {"1.0/data.nq": {"bytes": 679777, "sha256": "…"}, "1.1/changes.rdfp": …, …}}

(keys sorted, one fixed layout: the same log gives the same bytes). The build record that push
keeps in the store names the index by its SHA-256 (:attr:`hldgraph.dist.BuildRecord.
release_log`); a front end reads the index and every file it lists from ``published_url``, each
checked by its SHA-256 (:meth:`hldgraph.web.fetch.Location.get`), into a folder of its cache,
and makes the releases' folders from it as ``hldgraph serve`` does beside data/
(:func:`hldgraph.release_folders.ensure_releases`). This module decides the layout; it fetches
nothing itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from hldgraph.errors import HldgraphError
from hldgraph.releases import LOG, RELEASE

#: The index of the published release log, relative to where the build is published.
INDEX = f"{LOG}/index.json"

#: ``get(name, sha256)``: a local path holding the published file ``name`` (relative to where
#: the build is published), checked to have that SHA-256.
Getter = Callable[[str, str], Path]


def index(log_dir: Path) -> bytes | None:
    """The bytes of ``index.json`` for the release log in ``log_dir`` (every file but hidden
    ones, such as a release being written): ``{"files": {relative path: {"sha256",
    "bytes"}}}``. None when the folder holds no release (no ``{version}/release.json``)."""
    log_dir = Path(log_dir)
    files: dict[str, dict[str, Any]] = {}
    if log_dir.is_dir():
        for path in sorted(log_dir.rglob("*")):
            rel = path.relative_to(log_dir)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                files[rel.as_posix()] = {"sha256": _file_sha256(path),
                                         "bytes": path.stat().st_size}
    if not any(PurePosixPath(name).name == RELEASE for name in files):
        return None
    return (json.dumps({"files": files}, indent=1, sort_keys=True) + "\n").encode("utf-8")


def listed(index_bytes: bytes) -> dict[str, dict[str, Any]]:
    """The files an index lists: ``{relative path: {"sha256", "bytes"}}``. Raises
    HldgraphError for bytes that are no index, or a path that leaves the log's folder."""
    try:
        files = json.loads(index_bytes)["files"]
        for name, info in files.items():
            parts = PurePosixPath(name).parts
            if (not parts or PurePosixPath(name).is_absolute() or ".." in parts
                    or not isinstance(info["sha256"], str)):
                raise ValueError(f"file {name!r}")
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise HldgraphError(f"{INDEX} is not an index of a release log ({e})") from None
    return dict(files)


def write(log_dir: Path, index_bytes: bytes, folder: Path) -> None:
    """Copies the files that ``index_bytes`` lists from ``log_dir`` to ``folder/release-log/``,
    with the index (``folder``: the copy of the build being published). OSError if one is
    missing."""
    for name in listed(index_bytes):
        target = Path(folder) / LOG / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(log_dir) / name, target)
    (Path(folder) / INDEX).write_bytes(index_bytes)


def fetch(get: Getter, index_sha256: str, data_dir: Path) -> Path:
    """Makes ``data_dir/release-log`` the published release log whose index has SHA-256
    ``index_sha256``: the index, then each file it lists, through ``get`` (which checks them).
    Raises what ``get`` raises (the file is unreadable or not the one named), or
    HldgraphError for an unreadable index. Returns ``data_dir``, the folder to read the log
    from (``settings.data_dir``)."""
    log = Path(data_dir) / LOG
    for name, info in listed(get(INDEX, index_sha256).read_bytes()).items():
        source, target = get(f"{LOG}/{name}", info["sha256"]), log / name
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, part)
        part.replace(target)  # atomic: the log never holds half a file
    return Path(data_dir)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Holds an exclusive lock on ``folder`` (made if missing) for the block: two processes
    that make the same releases' folders (front ends sharing a cache) take turns."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    with open(Path(folder) / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()
