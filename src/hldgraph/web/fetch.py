"""Files of a build that this front end does not hold, read from where the build was published.

``published_url`` is a folder (shared storage, a synchronised copy) or an http(s) URL (a static
web server, an object store) holding a build folder. A file is read from there once, checked
against the SHA-256 the store's build record gives for it, and kept in a cache folder named by
that checksum, so that every front end serves the same bytes and none serves a file of another
build. A ``.gz`` twin is checked by the checksum of what it holds.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlsplit

import urllib3

from hldgraph.dist import gunzipped_sha256, last_good
from hldgraph.errors import HldgraphError
from hldgraph.store.credentials import auth_headers, safe_url

#: Seconds to wait for a published file (they are read once, then served from the cache).
TIMEOUT_S = 60.0
_CHUNK = 1 << 20


class Unavailable(HldgraphError):
    """What a route needs is neither in the store nor where the build is published."""

    status = 503


class Mismatch(Unavailable):
    """The published file is not the one the store's build record names."""


def cache_folder() -> Path:
    """Where checked files are kept: shared by the worker processes of this user."""
    folder = Path(tempfile.gettempdir()) / f"hldgraph-published-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


class Location:
    """A published build folder: a path, a ``file:`` URL, or an ``http(s):`` URL."""

    def __init__(self, where: str, cache: Path | None = None) -> None:
        self.where = where
        self.cache = cache or cache_folder()
        self.remote = urlsplit(where).scheme in {"http", "https"}
        self._pool = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(
            connect=5.0, read=TIMEOUT_S)) if self.remote else None

    def shown(self) -> str:
        return safe_url(self.where)

    def get(self, name: str, sha256: str, gzipped: bool = False) -> Path:
        """The checked copy of file ``name`` (its ``.gz`` twin if ``gzipped``) whose content
        has SHA-256 ``sha256``. Raises :class:`Unavailable` (unreadable) or :class:`Mismatch`."""
        kept = self.cache / (sha256 + (".gz" if gzipped else ""))
        if kept.exists():
            return kept
        wanted = f"{name}.gz" if gzipped else name
        part, got = self._copy(wanted)
        try:
            if gzipped:
                got = gunzipped_sha256(part)
        except (OSError, EOFError) as e:
            got = f"unreadable gzip ({e})"
        if got != sha256:
            part.unlink(missing_ok=True)
            raise Mismatch(f"{wanted} at {self.shown()} is not the file of the build in the store "
                           f"(SHA-256 {got[:16]}…, not {sha256[:16]}…): publish the build that "
                           "was pushed (hldgraph push --published-url)")
        os.replace(part, kept)  # atomic: a reader sees the whole file or none
        return kept

    def _copy(self, name: str) -> tuple[Path, str]:
        """A copy of ``name`` in the cache under a name of its own, and its SHA-256."""
        h = hashlib.sha256()
        with self._open(name) as source, tempfile.NamedTemporaryFile(
                dir=self.cache, suffix=".part", delete=False) as out:
            try:
                while chunk := source.read(_CHUNK):
                    h.update(chunk)
                    out.write(chunk)
            except (OSError, urllib3.exceptions.HTTPError) as e:
                Path(out.name).unlink(missing_ok=True)
                raise Unavailable(f"{name} could not be read whole from the published build at "
                                  f"{self.shown()}: {type(e).__name__}") from None
        return Path(out.name), h.hexdigest()

    @contextlib.contextmanager
    def _open(self, name: str) -> Iterator[IO[bytes]]:
        if self._pool is None:
            yield self._open_file(name)
            return
        url = f"{self.where.rstrip('/')}/{quote(name)}"
        try:
            rv = self._pool.request("GET", safe_url(url), headers=auth_headers(url),
                                    preload_content=False)
        except urllib3.exceptions.HTTPError as e:
            raise Unavailable(f"the published build at {self.shown()} cannot be reached: "
                              f"{type(e).__name__}") from None
        try:
            if rv.status != 200:
                raise Unavailable(f"{name}: the published build at {self.shown()} answered "
                                  f"{rv.status} {rv.reason or ''}".rstrip())
            yield rv  # type: ignore[misc]
        finally:
            rv.release_conn()

    def _open_file(self, name: str) -> IO[bytes]:
        folder = Path(self.where.removeprefix("file://"))
        found = last_good(folder)  # a folder being replaced by a new build: the one beside it
        try:
            return open((found or folder) / name, "rb")
        except OSError as e:
            raise Unavailable(f"{name} cannot be read from the published build in {folder}: "
                              f"{e.strerror}") from None


def checked(location: Location | None, name: str, sha256: str, gzipped: bool = False) -> Path:
    """``location.get(...)``, or :class:`Unavailable` saying what to set without a location."""
    if location is None:
        raise Unavailable(f"{name} is a file of the build, which this front end does not hold: "
                          "set published_url (HLDGRAPH_PUBLISHED_URL) to the folder or URL "
                          "where it is published")
    return location.get(name, sha256, gzipped)
